/** The VU model a run asks for (run options, else PERFKIT_VU_MODEL; 'auto' by default), checked before anything loads. */
import { ToolkitError } from '../../errors.ts';
import { K6_EXIT_CODE } from '../../k6-core/index.ts';

export type VuModelChoice = 'isolate' | 'shared' | 'auto';

export function vuModelChoice(option: string | undefined, env: Record<string, string | undefined>): VuModelChoice {
  const value = option ?? env.PERFKIT_VU_MODEL ?? 'auto';
  if (value === 'isolate' || value === 'shared' || value === 'auto') return value;
  throw new ToolkitError('SCRIPT_INVALID', `vuModel "${value}": expected isolate, shared or auto`, {
    fix: 'pass --vu-model isolate (a worker thread per VU), shared (many VUs per thread) or auto',
    exitCode: K6_EXIT_CODE.invalidConfig,
  });
}

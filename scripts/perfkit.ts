// `npm run perfkit -- <command> …`: the perfkit CLI with the reference rig as its default target.
import { main } from '../toolkit/cli/io.ts';
import { runPerfkit } from '../toolkit/cli/perfkit.ts';
import { REPO_PERFKIT } from './composition.ts';

await main((io) => runPerfkit(io, REPO_PERFKIT));

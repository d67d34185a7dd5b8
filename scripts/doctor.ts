import { main } from '../toolkit/cli/io.ts';
import { runDoctor } from '../toolkit/setup/doctor.ts';

await main(runDoctor);

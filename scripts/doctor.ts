// `npm run doctor`: the toolkit's checks plus the reference rig's (PostgreSQL, the replica, Redis).
import { main } from '../toolkit/cli/io.ts';
import { runDoctor } from '../toolkit/setup/doctor.ts';
import { rigDoctor } from '../reference-app/rig/doctor.ts';

await main((io) => runDoctor(io, { sections: [rigDoctor] }));

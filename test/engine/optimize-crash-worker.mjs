// A trial worker that dies on its first task, as a worker hitting a fatal error would.
import { parentPort } from 'node:worker_threads';

parentPort.on('message', () => process.exit(3));

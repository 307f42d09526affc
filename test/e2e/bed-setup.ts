/**
 * vitest globalSetup: probe the engine test bed once per run, hand the answer to every test file
 * (engine.ts reads it with inject), and say in one line why engine tests skip when the bed is
 * incomplete. With ORESI_REQUIRE_ENGINE set they fail instead, each with the same sentence.
 */
import type { TestProject } from 'vitest/node';
import { describeBed, probeBed, type BedStatus } from './bed-probe.js';

declare module 'vitest' {
  export interface ProvidedContext {
    oresiBed: BedStatus;
  }
}

export default async function setup(project: TestProject): Promise<void> {
  const status = await probeBed({
    image: process.env.ORESI_EXAMPLE_IMAGE ?? '127.0.0.1:5000/oresi/busybox:1.36.1',
    dockerHost: process.env.DOCKER_HOST,
    composeForced: process.env.ORESI_TEST_COMPOSE,
  });
  project.provide('oresiBed', status);
  if (status.missing.length > 0) {
    const verdict = process.env.ORESI_REQUIRE_ENGINE ? 'engine tests will FAIL (ORESI_REQUIRE_ENGINE is set)' : 'engine tests skip';
    process.stderr.write(`oresi: ${verdict}: ${describeBed(status)}\n`);
  }
}

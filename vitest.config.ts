import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // integration tests start real services (mosquitto, sshd, samba, nginx), namespaces and the CLI itself: give
    // them room. These bounds only catch a hang; no test is about speed (benchmarks are), and a busy CI machine
    // (see scripts/stress-test.sh) makes a test that spawns a few Node processes take a minute
    testTimeout: 120_000,
    hookTimeout: 180_000,
    // files run in separate workers; two cores, so keep it to two
    maxWorkers: 2,
  },
});

import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // integration tests start real services (mosquitto, sshd, samba, nginx) and namespaces: give them room
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // files run in separate workers; two cores, so keep it to two
    maxWorkers: 2,
  },
});

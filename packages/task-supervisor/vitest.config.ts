import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "task-supervisor",
    include: ["test/**/*.test.ts"],
    setupFiles: ["../test-utils/src/noLeaks.ts"]
  }
})

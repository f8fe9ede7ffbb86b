import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "observer",
    include: ["test/**/*.test.ts"],
    setupFiles: ["../test-utils/src/noLeaks.ts"]
  }
})

import { defineProject } from "vitest/config"

export default defineProject({
  test: {
    name: "partition-supervisor",
    include: ["test/**/*.test.ts"],
    setupFiles: ["../supervisor/test/utils/noLeaks.ts"]
  }
})

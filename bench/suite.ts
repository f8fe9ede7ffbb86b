/**
 * `npm run bench` (full) and `npm run bench -- --quick` (smoke check): measures the
 * library beside raw Effect doing the same work, prints one table of figures and ratios,
 * and rewrites bench/RESULTS.md.
 */
import * as fs from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { machine, quick, type Row, table } from "./harness.js"
import { spawnRows } from "./spawn.js"

const main = async () => {
  const started = performance.now()
  const repetitions = quick ? 3 : 5
  const warmup = 1
  const rows: Array<Row> = []
  const n = quick ? 20_000 : 100_000
  console.log(`effect-otp benchmarks (${quick ? "quick" : "full"}): ${machine()}`)
  for (const row of await spawnRows(n, repetitions, warmup)) rows.push(row)
  const output = table(rows)
  console.log(output)
  const seconds = ((performance.now() - started) / 1000).toFixed(1)
  console.log(`done in ${seconds} s`)
  if (!quick) {
    const here = path.dirname(fileURLToPath(import.meta.url))
    const effectVersion = JSON.parse(
      fs.readFileSync(path.join(here, "..", "node_modules", "effect", "package.json"), "utf8")
    ).version
    fs.writeFileSync(
      path.join(here, "RESULTS.md"),
      [
        "# Benchmark results",
        "",
        "Written by `npm run bench` (full run); median of " + repetitions + " repetitions after " + warmup +
        " warm-up, min–max in parentheses. Ratios are library ÷ raw Effect doing the same work in the same run.",
        "",
        `Machine: ${machine()}; effect ${effectVersion}; run took ${seconds} s.`,
        "",
        output,
        ""
      ].join("\n")
    )
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})

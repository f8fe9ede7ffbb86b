/**
 * Three runner processes on loopback share one SQLite file (WAL). One is killed with
 * SIGKILL: its permanent children come back on the others within the lock expiry (4 s
 * here, 35 s by default) plus the time to notice, none runs twice, its temporary
 * children are gone. Every process started here is killed in `afterAll`.
 */
import { eventuallyAsync } from "@effect-otp/test-utils/Eventually"
import { killAll, type Line, Runner } from "@effect-otp/test-utils/RunnerProcess"
import { afterAll, assert, describe, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "effect-otp-cluster-"))
const file = path.join(dir, "cluster.db")

afterAll(async () => {
  await killAll()
  fs.rmSync(dir, { recursive: true, force: true })
})

/** The runners' shard lock expiry (their default in fixtures/runner.ts). */
const lockExpirationMs = 4000

const basePort = 41000 + (process.pid % 1000) * 3

/** The starts the runners reported, from line `from` of each (0: all of them). */
const startsOf = (runners: ReadonlyArray<Runner>, from: ReadonlyMap<Runner, number> = new Map()) =>
  runners.flatMap((runner) =>
    runner.lines.slice(from.get(runner) ?? 0).filter((line) => line.event === "ChildStarted").map((line) => ({
      ...line,
      on: runner.address
    }))
  )

/** Whether `runner` reported that child `id` stopped. */
const stoppedOn = (runner: Runner, id: string) =>
  runner.lines.some((line) => line.event === "ChildStopped" && line.id === id)

describe("failover across runner processes", () => {
  it(
    "permanent children of a killed runner answer on the others; temporary ones are gone; none runs twice",
    async () => {
      try {
        const runners = [0, 1, 2].map((i) => new Runner(file, basePort + i))
        await Promise.all(runners.map((runner) => runner.ready(90_000)))
        // the shards are balanced over the runners as they join (a runner that joined takes its shards once
        // their locks are released or expired): children started before that would move once
        await new Promise((resolve) => setTimeout(resolve, 2 * lockExpirationMs + 1000))
        const first = runners[0]

        const permanent = Array.from({ length: 9 }, (_, i) => `p${i}`)
        const temporary = Array.from({ length: 6 }, (_, i) => `t${i}`)
        for (const [ids, restart] of [[permanent, "permanent"], [temporary, "temporary"]] as const) {
          for (const id of ids) {
            await eventuallyAsync(
              async () => {
                const answer = await first.send({ op: "start", id, restart }, 40_000)
                return answer.ok === true || answer.error === "ChildAlreadyStarted" ? answer : undefined
              },
              60_000,
              200,
              `start ${id}`
            )
          }
        }
        for (const id of [...permanent, ...temporary]) {
          const answer = await first.send({ op: "call", id, request: { _tag: "Add", by: 1 } }, 10_000)
          assert.deepStrictEqual(answer.value, 1, `${id}: ${JSON.stringify(answer)}`)
        }

        // where each child lives before the kill: its last start. A child may have moved once already,
        // when the shards were balanced over the runners as they joined: it was stopped where it was
        const before = startsOf(runners)
        const home = new Map(before.map((start) => [start.id!, start.on]))
        assert.strictEqual(home.size, permanent.length + temporary.length)
        const startsBefore = new Map<string, number>()
        for (const start of before) startsBefore.set(start.id!, (startsBefore.get(start.id!) ?? 0) + 1)
        await eventuallyAsync(
          async () => {
            const seen = new Map<string, number>()
            for (const start of before) {
              const index = (seen.get(start.id!) ?? 0) + 1
              seen.set(start.id!, index)
              if (index < startsBefore.get(start.id!)!) {
                const runner = runners.find((r) => r.address === start.on)!
                if (!stoppedOn(runner, start.id!)) return undefined
              }
            }
            return true
          },
          20_000,
          250,
          `children moved before the kill stopped where they were: ${JSON.stringify(before)}`
        )
        const counts = runners.map((runner) => permanent.filter((id) => home.get(id) === runner.address).length)
        const victim = runners[counts.indexOf(Math.max(...counts))]
        const survivors = runners.filter((runner) => runner !== victim)
        const client = survivors[0]
        const moved = permanent.filter((id) => home.get(id) === victim.address)
        const lostTemporary = temporary.filter((id) => home.get(id) === victim.address)
        assert.isAbove(moved.length, 0)

        const linesAtKill = new Map(runners.map((runner) => [runner, runner.lines.length] as const))
        const killedAt = performance.now()
        await victim.kill("SIGKILL")

        // every permanent child answers again, wherever it lives now (its in-memory state is lost)
        const answered = new Map<string, number>()
        await eventuallyAsync(
          async () => {
            for (const id of permanent) {
              if (answered.has(id)) continue
              const answer: Line = await client.send({ op: "call", id, request: { _tag: "Get" } }, 10_000)
              if (answer.ok === true) answered.set(id, performance.now() - killedAt)
            }
            return answered.size === permanent.length ? true : undefined
          },
          60_000,
          250,
          "permanent children answering"
        )
        const failoverMs = Math.max(...moved.map((id) => answered.get(id)!))
        // the lock expiry (4 s) bounds the move, plus the polling and a loaded machine's slack
        assert.isBelow(failoverMs, 30_000)

        for (const id of moved) {
          const answer = await client.send({ op: "call", id, request: { _tag: "Get" } }, 10_000)
          assert.deepStrictEqual(answer.value, 0, `${id} came back from its spec`)
        }
        // temporary children of the dead runner are gone; the others still answer, unless the survivors'
        // rebalancing moved their shard too (a temporary child is dropped when its shard moves, and says so)
        const droppedBySurvivors = (id: string) =>
          survivors.some((runner) =>
            runner.lines.slice(linesAtKill.get(runner)).some((line) => line.event === "ChildDropped" && line.id === id)
          )
        for (const id of temporary) {
          await eventuallyAsync(
            async () => {
              const answer = await client.send({ op: "call", id, request: { _tag: "Get" } }, 10_000)
              const expected = lostTemporary.includes(id) || droppedBySurvivors(id)
                ? answer.error === "ChildNotFound"
                : answer.ok === true
              return expected ? true : undefined
            },
            20_000,
            250,
            `temporary ${id}`
          )
        }

        // none runs twice: each moved child started once more, on one survivor (a child whose shard the
        // survivors' rebalancing moved may have started again too, once, after its stop)
        const after = startsOf(survivors, linesAtKill).filter((start) => start.recovered === true)
        const recoveredIds = after.map((start) => start.id!)
        for (const id of moved) assert.include(recoveredIds, id)
        assert.strictEqual(new Set(recoveredIds).size, recoveredIds.length, `recovered once: ${recoveredIds}`)
        for (const start of after) assert.notStrictEqual(start.on, victim.address)
        const allStarts = startsOf(runners)
        for (const id of permanent) {
          assert.strictEqual(
            allStarts.filter((start) => start.id === id).length,
            startsBefore.get(id)! + (recoveredIds.includes(id) ? 1 : 0),
            `starts of ${id}`
          )
        }

        const list = await client.send({ op: "list" }, 10_000)
        const listed = list.value as ReadonlyArray<{ id: string; runner: string }>
        assert.deepStrictEqual(
          listed.map((child) => child.id).sort(),
          [...permanent, ...temporary.filter((id) => !lostTemporary.includes(id) && !droppedBySurvivors(id))].sort()
        )
        for (const child of listed) assert.notStrictEqual(child.runner, victim.address)
        process.stdout.write(
          `failover: ${moved.length} permanent and ${lostTemporary.length} temporary children on the killed runner; ` +
            `all permanent answering ${Math.round(failoverMs)} ms after SIGKILL\n`
        )
      } finally {
        await killAll()
      }
    },
    240_000
  )
})

/**
 * `ChatApp.RoomSupervisor`: a DynamicSupervisor of rooms; rooms are created on demand.
 */
import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
import { GenServer, Registry } from "@effect-otp/supervisor"
import { Effect, Option } from "effect"
import { Room, roomName } from "./Room.js"

export const childSpec = DynamicSupervisor.childSpec({ id: "ChatApp.RoomSupervisor" })

/**
 * Opens a room under the room supervisor, or does nothing if it is open already. Rooms
 * are `permanent`: a crashed room restarts, alone and empty.
 */
export const openRoom = (rooms: DynamicSupervisor.DynamicSupervisor<unknown>, room: string) =>
  Effect.flatMap(Registry.whereis(roomName(room)), (existing) =>
    Option.isSome(existing)
      ? Effect.void
      : Effect.asVoid(
        DynamicSupervisor.startChild(
          rooms,
          GenServer.childSpec(Room, room, { id: `room:${room}`, name: roomName(room) })
        )
      ))

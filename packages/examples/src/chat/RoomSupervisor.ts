/**
 * `ChatApp.RoomSupervisor`: a DynamicSupervisor of rooms, registered under its name;
 * rooms are created on demand, as children of the `room` kind.
 */
import { DynamicSupervisor } from "@effect-otp/dynamic-supervisor"
import { ChildKind, GenServer, Registry } from "@effect-otp/supervisor"
import { Effect, Option, Schema } from "effect"
import { Room, roomName } from "./Room.js"

/**
 * The RoomSupervisor's name (Elixir's `name: ChatApp.RoomSupervisor`): operations by name
 * reach its current incarnation, also after the application restarted it.
 */
export const RoomSupervisor = DynamicSupervisor.name("ChatApp.RoomSupervisor")

export const childSpec = DynamicSupervisor.childSpec({ id: "ChatApp.RoomSupervisor", name: RoomSupervisor })

/** A room as a child kind: its argument is the room's name; it is registered as `room:<name>`. */
export const RoomKind = ChildKind.make(
  "room",
  Schema.String,
  (room) => GenServer.spawn(Room, room, { name: roomName(room) })
)

/**
 * Opens a room under the room supervisor, or does nothing if it is open already. Rooms
 * are `permanent`: a crashed room restarts, alone and empty.
 */
export const openRoom = (room: string) =>
  Effect.flatMap(Registry.whereis(roomName(room)), (existing) =>
    Option.isSome(existing)
      ? Effect.void
      : Effect.asVoid(
        // as Elixir's DynamicSupervisor.start_child(ChatApp.RoomSupervisor, spec)
        DynamicSupervisor.startChild(RoomSupervisor, ChildKind.childSpec(RoomKind, room, { id: `room:${room}` }))
      ))

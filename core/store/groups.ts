// Groups and memberships. Membership of `admin` is what lets a user call the admin API.
import { AppError, GrpcStatus, invalidArgument, notFound } from "../../shared/errors.ts";
import { syncNetworkDevices } from "./network-device-sync.ts";
import { inTransaction, type Queryable, uniqueViolation } from "./queryable.ts";

export const ADMIN_GROUP = "admin";

export interface GroupInfo {
  id: number;
  name: string;
  /** Usernames, sorted. */
  members: string[];
}

export async function listGroups(q: Queryable): Promise<GroupInfo[]> {
  return q<GroupInfo[]>`
    SELECT g.id, g.name,
           ARRAY(SELECT u.username FROM group_members m JOIN users u ON u.id = m.user_id
                 WHERE m.group_id = g.id ORDER BY u.username) AS members
    FROM groups g ORDER BY g.name`;
}

export async function getGroup(q: Queryable, name: string): Promise<GroupInfo | null> {
  const groups = await listGroups(q);
  return groups.find((g) => g.name === name) ?? null;
}

/** Throws AppError ALREADY_EXISTS when the name is taken. */
export async function createGroup(q: Queryable, name: string): Promise<GroupInfo> {
  try {
    const [row] = await q<{ id: number }[]>`INSERT INTO groups (name) VALUES (${name}) RETURNING id`;
    return { id: row!.id, name, members: [] };
  } catch (err) {
    if (uniqueViolation(err) !== null) throw new AppError(GrpcStatus.ALREADY_EXISTS, `group ${name} already exists`);
    throw err;
  }
}

async function groupAndUserIds(q: Queryable, groupName: string, username: string): Promise<{ groupId: number; userId: number }> {
  const [group] = await q<{ id: number }[]>`SELECT id FROM groups WHERE name = ${groupName} FOR UPDATE`;
  if (!group) throw notFound(`group ${groupName} not found`);
  const [user] = await q<{ id: number }[]>`SELECT id FROM users WHERE username = ${username}`;
  if (!user) throw notFound(`user ${username} not found`);
  return { groupId: group.id, userId: user.id };
}

/** The user's devices follow their groups in every network that allows only some groups, in id order. */
async function syncGroupNetworks(tx: Queryable, userId: number): Promise<void> {
  const networks = await tx<{ id: number }[]>`SELECT DISTINCT network_id AS id FROM network_allowed_groups ORDER BY 1`;
  for (const network of networks) await syncNetworkDevices(tx, network.id, userId);
}

/**
 * Idempotent; the user's devices join the networks the group opens to them. Throws NOT_FOUND for an
 * unknown group or user, INVALID_ARGUMENT when such a network has no room for them.
 */
export async function addUserToGroup(q: Queryable, groupName: string, username: string): Promise<void> {
  await inTransaction(q, async (tx) => {
    const { groupId, userId } = await groupAndUserIds(tx, groupName, username);
    await tx`INSERT INTO group_members (group_id, user_id) VALUES (${groupId}, ${userId}) ON CONFLICT DO NOTHING`;
    await syncGroupNetworks(tx, userId);
  });
}

/**
 * Idempotent; the user's devices leave the networks only that group opened to them. Throws NOT_FOUND for
 * an unknown group or user, and INVALID_ARGUMENT rather than leave the `admin` group without members
 * (nobody could administer the Core any more).
 */
export async function removeUserFromGroup(q: Queryable, groupName: string, username: string): Promise<void> {
  await inTransaction(q, async (tx) => {
    const { groupId, userId } = await groupAndUserIds(tx, groupName, username);
    await tx`DELETE FROM group_members WHERE group_id = ${groupId} AND user_id = ${userId}`;
    if (groupName === ADMIN_GROUP) {
      const [left] = await tx<{ n: number }[]>`SELECT count(*) AS n FROM group_members WHERE group_id = ${groupId}`;
      if (left!.n === 0) throw invalidArgument(`${username} is the last member of group ${ADMIN_GROUP} and cannot be removed`);
    }
    await syncGroupNetworks(tx, userId);
  });
}

/**
 * Renames group `name`; returns the group. Throws NOT_FOUND, ALREADY_EXISTS for a taken name, and
 * INVALID_ARGUMENT for `admin` (the admin API's access rests on that name).
 */
export async function renameGroup(q: Queryable, name: string, newName: string): Promise<GroupInfo> {
  if (name === ADMIN_GROUP) throw invalidArgument(`group ${ADMIN_GROUP} cannot be renamed: its members are the administrators`);
  try {
    const rows = await q`UPDATE groups SET name = ${newName} WHERE name = ${name} RETURNING id`;
    if (rows.length === 0) throw notFound(`group ${name} not found`);
  } catch (err) {
    if (uniqueViolation(err) !== null) throw new AppError(GrpcStatus.ALREADY_EXISTS, `group ${newName} already exists`);
    throw err;
  }
  return (await getGroup(q, newName))!;
}

/**
 * Deletes group `name`; its members' devices leave the networks only it opened; returns the members' ids.
 * Throws NOT_FOUND, and INVALID_ARGUMENT for `admin` or when it is the only group a network allows
 * (deleting it would open that network to everyone).
 */
export async function deleteGroup(q: Queryable, name: string): Promise<number[]> {
  if (name === ADMIN_GROUP) throw invalidArgument(`group ${ADMIN_GROUP} cannot be deleted: its members are the administrators`);
  return inTransaction(q, async (tx) => {
    const [sole] = await tx<{ name: string }[]>`
      SELECT n.name FROM networks n JOIN network_allowed_groups a ON a.network_id = n.id JOIN groups g ON g.id = a.group_id
      WHERE g.name = ${name} AND NOT EXISTS (SELECT 1 FROM network_allowed_groups o WHERE o.network_id = n.id AND o.group_id <> g.id)
      ORDER BY n.name LIMIT 1`;
    if (sole) throw invalidArgument(`group ${name} is the only group allowed in location ${sole.name}: allow another group there first`);
    const members = await tx<{ user_id: number }[]>`
      SELECT m.user_id FROM group_members m JOIN groups g ON g.id = m.group_id WHERE g.name = ${name} ORDER BY m.user_id`;
    const rows = await tx`DELETE FROM groups WHERE name = ${name} RETURNING id`;
    if (rows.length === 0) throw notFound(`group ${name} not found`);
    for (const member of members) await syncGroupNetworks(tx, member.user_id);
    return members.map((member) => member.user_id);
  });
}

// Who may use a network, as the one SQL condition every query asking it uses: a network without allowed
// groups is open to everyone, otherwise to the members of one of its groups.
import type postgres from "postgres";
import type { Queryable } from "./queryable.ts";

/** An id as a value, or as SQL giving it (a column, a subquery). */
type IdSql = number | postgres.Fragment;

/** SQL that is true when network `networkId` allows user `userId`. */
export function networkAllowsUser(q: Queryable, networkId: IdSql, userId: IdSql): ReturnType<Queryable> {
  return q`(NOT EXISTS (SELECT 1 FROM network_allowed_groups ag WHERE ag.network_id = ${networkId})
            OR EXISTS (SELECT 1 FROM network_allowed_groups ag JOIN group_members m ON m.group_id = ag.group_id
                       WHERE ag.network_id = ${networkId} AND m.user_id = ${userId}))`;
}

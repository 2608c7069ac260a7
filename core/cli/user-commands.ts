// `user add`, `user list`, `user enroll`, `user unlock`.
import { z } from "zod";
import { notFound } from "../../shared/errors.ts";
import { clearFailures } from "../store/login-failures.ts";
import { createUser, findUser, getUserInfo, listUsers } from "../store/users.ts";
import { startEnrollment } from "../users/start-enrollment.ts";
import { emailSchema, newUserSchema } from "../users/user-schema.ts";
import { validate } from "../validation.ts";
import { type Command, type CommandContext, stringOption } from "./command.ts";
import { formatTable, optionName } from "./output.ts";

const json = { json: { type: "boolean" } } as const;

export const userAdd: Command = {
  options: {
    email: { type: "string" },
    "first-name": { type: "string" },
    "last-name": { type: "string" },
    phone: { type: "string" },
    password: { type: "string" },
  },
  positionals: ["username"],
  async run(ctx) {
    const input = validate(
      newUserSchema,
      {
        username: ctx.args.username,
        email: stringOption(ctx, "email"),
        first_name: stringOption(ctx, "first-name"),
        last_name: stringOption(ctx, "last-name"),
        phone: stringOption(ctx, "phone"),
        password: stringOption(ctx, "password"),
      },
      (path) => optionName(path, ["username"]),
    );
    const user = await createUser(ctx.sql, input);
    ctx.io.out(`Added user ${user.username} (id ${user.id})`);
  },
};

export const userList: Command = {
  options: json,
  positionals: [],
  async run(ctx: CommandContext) {
    const users = await listUsers(ctx.sql);
    if (ctx.options.json) return ctx.io.out(JSON.stringify(users, null, 2));
    const rows = users.map((u) => [
      u.username,
      `${u.first_name} ${u.last_name}`,
      u.email,
      u.is_active ? "active" : "disabled",
      u.enrolled ? "yes" : "no",
      u.groups.join(","),
    ]);
    for (const line of formatTable(["USERNAME", "NAME", "EMAIL", "STATUS", "ENROLLED", "GROUPS"], rows)) ctx.io.out(line);
  },
};

export const userEnroll: Command = {
  options: { email: { type: "string" } },
  positionals: ["username"],
  async run(ctx) {
    const email = stringOption(ctx, "email");
    if (email !== undefined) validate(z.object({ email: emailSchema }), { email }, (path) => optionName(path));
    const user = await getUserInfo(ctx.sql, ctx.args.username!);
    const started = await startEnrollment(ctx.sql, {
      username: ctx.args.username!,
      kind: user?.enrolled ? "desktop" : "enrollment",
      adminId: null,
      email,
      enrollmentUrl: ctx.config.enrollmentUrl,
      tokenValidForS: ctx.config.timeouts.enrollmentTokenS,
    });
    if (started.kind === "desktop") ctx.io.err(`${started.user.username} has already enrolled: this link adds a device`);
    ctx.io.out(started.url);
  },
};

/** For an operator locked out of the admin API by failed logins (core/admin-api/login-throttle.ts). */
export const userUnlock: Command = {
  options: {},
  positionals: ["username"],
  async run(ctx) {
    const user = await findUser(ctx.sql, ctx.args.username!);
    if (!user) throw notFound(`user ${ctx.args.username} not found`);
    const cleared = await clearFailures(ctx.sql, `user:${user.id}`);
    ctx.io.out(cleared ? `Forgot the failed admin logins of ${user.username}: they may log in again` : `No failed admin logins of ${user.username} are counted`);
  },
};

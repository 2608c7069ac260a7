// What a user record may hold, as zod schemas shared by the admin API and the command line, so both
// refuse the same values with the same messages.
import { z } from "zod";
import { passwordWeakness } from "../password-policy.ts";

const USERNAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const PHONE = /^\+?[0-9][0-9 ()-]{3,18}[0-9]$/;

export const usernameSchema = z
  .string({ error: "expected a string" })
  .regex(USERNAME, "expected 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit");

export const emailSchema = z.email({ error: "expected an email address" }).max(254, "expected at most 254 characters");

export const personNameSchema = z
  .string({ error: "expected a string" })
  .trim()
  .min(1, "must not be empty")
  .max(128, "expected at most 128 characters");

/** International or local phone numbers: digits, spaces, dashes, parentheses and a leading `+`. */
export const phoneSchema = z.string({ error: "expected a string" }).trim().regex(PHONE, "expected a phone number such as +48 123 456 789");

export const strongPasswordSchema = z.string({ error: "expected a string" }).superRefine((value, ctx) => {
  const problem = passwordWeakness(value);
  if (problem) ctx.addIssue({ code: "custom", message: problem });
});

export const newUserSchema = z.object({
  username: usernameSchema,
  first_name: personNameSchema,
  last_name: personNameSchema,
  email: emailSchema,
  phone: phoneSchema.nullish(),
  password: strongPasswordSchema.optional(),
});
export type NewUser = z.infer<typeof newUserSchema>;

export const userUpdateSchema = z.object({
  first_name: personNameSchema.optional(),
  last_name: personNameSchema.optional(),
  email: emailSchema.optional(),
  phone: phoneSchema.nullish(),
  is_active: z.boolean({ error: "expected true or false" }).optional(),
});
export type UserUpdate = z.infer<typeof userUpdateSchema>;

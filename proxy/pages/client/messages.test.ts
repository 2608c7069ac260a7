import { describe, expect, test } from "bun:test";
import { ApiError } from "./api.ts";
import { NETWORK_MESSAGE, SERVER_ERROR_MESSAGE, TOO_MANY_MESSAGE, UNAVAILABLE_MESSAGE, asSentence, describeFailure, isSessionProblem } from "./messages.ts";

describe("describeFailure", () => {
  test("each kind of failure in a person's words", () => {
    expect(describeFailure(new ApiError("network", 0, "network error"))).toBe(NETWORK_MESSAGE);
    expect(describeFailure(new ApiError("unavailable", 503, "Not connected to Defguard Core"))).toBe(UNAVAILABLE_MESSAGE);
    expect(describeFailure(new ApiError("unavailable", 504, "Defguard Core did not answer in time"))).toBe(UNAVAILABLE_MESSAGE);
    expect(describeFailure(new ApiError("rejected", 429, "Too many requests"))).toBe(TOO_MANY_MESSAGE);
    expect(describeFailure(new ApiError("rejected", 500, "Internal server error"))).toBe(SERVER_ERROR_MESSAGE);
    expect(describeFailure(new ApiError("rejected", 400, "HTTP 400"))).toBe(SERVER_ERROR_MESSAGE);
    expect(describeFailure(new TypeError("x is undefined"))).toBe(SERVER_ERROR_MESSAGE);
  });

  test("the Core's own message as a sentence", () => {
    expect(describeFailure(new ApiError("rejected", 400, "device name already in use"))).toBe("Device name already in use.");
    expect(asSentence("enrollment token expired: ask your administrator for a new one")).toBe("Enrollment token expired: ask your administrator for a new one.");
    expect(asSentence("token expired")).toBe("Enrollment token expired: ask your administrator for a new one.");
    expect(asSentence("Done!")).toBe("Done!");
    expect(asSentence("  ")).toBe(SERVER_ERROR_MESSAGE);
  });
});

describe("isSessionProblem", () => {
  test("401 and 403 refusals end a session; other failures do not", () => {
    expect(isSessionProblem(new ApiError("rejected", 401, "x"))).toBe(true);
    expect(isSessionProblem(new ApiError("rejected", 403, "x"))).toBe(true);
    expect(isSessionProblem(new ApiError("rejected", 400, "x"))).toBe(false);
    expect(isSessionProblem(new ApiError("unavailable", 503, "x"))).toBe(false);
    expect(isSessionProblem(new Error("x"))).toBe(false);
  });
});

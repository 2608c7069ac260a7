// One error type for the whole codebase: a gRPC status code, a message a user may read, and a cause
// that only the log sees. The edges (HTTP, gRPC) turn it into a status in exactly one place each.
import { status as GrpcStatus } from "@grpc/grpc-js";

export { GrpcStatus };

export class AppError extends Error {
  constructor(
    readonly code: GrpcStatus,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = "AppError";
  }
}

export const invalidArgument = (message: string) => new AppError(GrpcStatus.INVALID_ARGUMENT, message);
export const unauthenticated = (message: string) => new AppError(GrpcStatus.UNAUTHENTICATED, message);
export const permissionDenied = (message: string) => new AppError(GrpcStatus.PERMISSION_DENIED, message);
export const notFound = (message: string) => new AppError(GrpcStatus.NOT_FOUND, message);
export const failedPrecondition = (message: string) => new AppError(GrpcStatus.FAILED_PRECONDITION, message);
export const unimplemented = (message: string) => new AppError(GrpcStatus.UNIMPLEMENTED, message);
export const resourceExhausted = (message: string) => new AppError(GrpcStatus.RESOURCE_EXHAUSTED, message);
export const unavailable = (message: string) => new AppError(GrpcStatus.UNAVAILABLE, message);
export const deadlineExceeded = (message: string) => new AppError(GrpcStatus.DEADLINE_EXCEEDED, message);
export const internal = (message: string, cause?: unknown) => new AppError(GrpcStatus.INTERNAL, message, { cause });

/** The HTTP status the Proxy answers for a Core error code (WIRE.md); other codes are 500. */
const HTTP_STATUS_BY_CODE: Partial<Record<GrpcStatus, number>> = {
  [GrpcStatus.UNAUTHENTICATED]: 401,
  [GrpcStatus.INVALID_ARGUMENT]: 400,
  [GrpcStatus.PERMISSION_DENIED]: 403,
  [GrpcStatus.NOT_FOUND]: 404,
  [GrpcStatus.FAILED_PRECONDITION]: 428,
  [GrpcStatus.UNAVAILABLE]: 503,
  [GrpcStatus.DEADLINE_EXCEEDED]: 504,
  [GrpcStatus.RESOURCE_EXHAUSTED]: 429,
};

export function httpStatusForCode(code: number): number {
  return HTTP_STATUS_BY_CODE[code as GrpcStatus] ?? 500;
}

/** The message a client may see: the error's own for mapped codes, a generic one otherwise. */
export function publicMessageForCode(code: number, message: string): string {
  return httpStatusForCode(code) === 500 ? "Internal server error" : message;
}

// Round-robin choice among the live Core links: each request goes to the next one in turn.

export class RoundRobin<T> {
  /** Members in the order they joined. */
  private readonly members: T[] = [];
  /** Index of the member the next call to next() returns (modulo the member count). */
  private cursor = 0;

  add(member: T): void {
    this.members.push(member);
  }

  /** Removes `member`; the rotation continues with the member after it. Returns false if absent. */
  remove(member: T): boolean {
    const index = this.members.indexOf(member);
    if (index < 0) return false;
    this.members.splice(index, 1);
    if (index < this.cursor) this.cursor--;
    return true;
  }

  /** The next member in turn, or undefined when there is none. */
  next(): T | undefined {
    if (this.members.length === 0) return undefined;
    const member = this.members[this.cursor % this.members.length];
    this.cursor = (this.cursor + 1) % this.members.length;
    return member;
  }

  get size(): number {
    return this.members.length;
  }

  /** A snapshot of the members, safe to iterate while members leave. */
  all(): T[] {
    return [...this.members];
  }
}

// Growable typed columns: a simulated day records millions of arrivals, and an array of objects
// that size costs several times the memory and most of the time in the garbage collector.
type Typed = Float32Array | Int32Array | Uint8Array;
type Ctor<T extends Typed> = new (n: number) => T;

export class Column<T extends Typed> {
  data: T;
  length = 0;

  constructor(
    private readonly ctor: Ctor<T>,
    capacity = 1024,
  ) {
    this.data = new ctor(capacity);
  }

  push(v: number): number {
    if (this.length === this.data.length) {
      const next = new this.ctor(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length] = v;
    return this.length++;
  }

  get(i: number): number {
    return this.data[i]!;
  }

  set(i: number, v: number): void {
    this.data[i] = v;
  }
}

export const f32 = () => new Column(Float32Array);
export const i32 = () => new Column(Int32Array);
export const u8 = () => new Column(Uint8Array);

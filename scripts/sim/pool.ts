// Runs async jobs with at most `limit` in flight: a few hundred tablets reporting in the same
// second should not open a few hundred sockets at once.
export async function inPool<T>(items: readonly T[], limit: number, job: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await job(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

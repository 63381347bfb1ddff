// A progress bar on stderr for long reads. On a terminal it redraws one line; otherwise (a log file, CI)
// it prints a line every 10 %, so a pipe never fills with carriage returns.
export type ProgressFn = (done: number, total: number) => void;

export function progressBar(label: string, stream: NodeJS.WriteStream = process.stderr, width = 30): ProgressFn {
  let last = -1;
  const tty = Boolean(stream.isTTY);
  return (done, total) => {
    const frac = total <= 0 ? 1 : Math.min(1, done / total);
    const pct = Math.floor(frac * 100);
    const step = tty ? pct : Math.floor(pct / 10) * 10;
    if (step === last) return;
    last = step;
    const fill = Math.round(frac * width);
    const line = `${label} [${'#'.repeat(fill)}${'-'.repeat(width - fill)}] ${String(pct).padStart(3)}% ${done}/${total}`;
    stream.write(tty ? `\r${line}${frac >= 1 ? '\n' : ''}` : `${line}\n`);
  };
}

// A one-line progress indicator for terminals (only used when stderr is a TTY).
export interface Progress {
  update: (done: number, total: number) => void;
  done: () => void;
}

export function progressLine(stream: NodeJS.WriteStream, label: string): Progress {
  let last = 0;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      stream.write(`\r${label} ${done}/${total}`);
    },
    done() {
      if (last) stream.write('\r\x1b[K');
    },
  };
}

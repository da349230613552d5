// async-exit-hook ships no types; this declares the part local-infra uses.
declare module 'async-exit-hook' {
  const exitHook: {
    (hook: (done: () => void) => void): void;
    unhookEvent(event: string): void;
    hookedEvents(): string[];
  };
  export default exitHook;
}

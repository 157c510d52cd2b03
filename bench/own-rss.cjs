// Preloaded into every node a benchmark runs (NODE_OPTIONS=--require): at exit it appends
// the process's own peak RSS (in KiB) to the file HOTFIX_BENCH_RSS_FILE names. GNU time's
// figure is the peak of the whole process tree, a git the command started included; this
// one is node's own.
const file = process.env.HOTFIX_BENCH_RSS_FILE;
if (file) process.on('exit', () => require('node:fs').appendFileSync(file, `${process.resourceUsage().maxRSS}\n`));

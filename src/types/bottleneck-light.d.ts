// bottleneck's light build (what @octokit/plugin-throttling uses: no Redis clustering code)
// has the full build's API and ships no types of its own.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck';
  export default Bottleneck;
}

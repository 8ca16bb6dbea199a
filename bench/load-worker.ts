/**
 * Load generator run as its own process (like Slack is): reads {url, bodies, contentType} as JSON on
 * stdin, sends every signed request at once and prints the ack latencies as JSON.
 */
import { performance } from "node:perf_hooks";
import { text } from "node:stream/consumers";
import { postSigned } from "../test/support/signed.js";

const { url, bodies, contentType } = JSON.parse(await text(process.stdin)) as { url: string; bodies: string[]; contentType: string };
const latencies = await Promise.all(
  bodies.map(async (body) => {
    const t0 = performance.now();
    const res = await postSigned(url, body, contentType);
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`ack ${res.status}`);
    return performance.now() - t0;
  }),
);
process.stdout.write(JSON.stringify(latencies));

// Fan-out readers for `make bench`, in Node.js: the same raw Socket.IO clients over
// WebSocket as hallway/bench/live.py (Engine.IO v4 text frames: open, connect to the
// default namespace, join a room with an acknowledged event, answer pings, record
// the arrival of the events asked for), at a fraction of Python's cost per frame, so
// the readers do not limit what is measured.
//
// Driven by hallway.bench.live.NodeClientPool: one JSON command per line on stdin,
// one JSON answer per line on stdout. Arrival times are process.hrtime (CLOCK_MONOTONIC
// on Linux, the clock of Python's time.monotonic()), so the poster can time each reader.
//
// Uses `ws`, the WebSocket library socket.io-client runs on in Node (installed with it).
"use strict";

const path = require("path");
const readline = require("readline");

const WebSocket = require(
  require.resolve("ws", { paths: [path.dirname(require.resolve("engine.io-client"))] }),
);

const clients = [];

function now() {
  return Number(process.hrtime.bigint()) / 1e9;
}

// The id in an event's payload and the frame's size on the wire, read after timing.
function eventKey(data) {
  const frame = data.toString();
  try {
    const [, data] = JSON.parse(frame.slice(2));
    return [data && typeof data === "object" && "id" in data ? data.id : null, Buffer.byteLength(frame)];
  } catch (error) {
    return [null, Buffer.byteLength(frame)];
  }
}

function connectOne(spec) {
  return new Promise((resolve, reject) => {
    const url = spec.base_url.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket";
    const headers = {};
    if (spec.cookie) headers.Cookie = spec.cookie;
    const ws = new WebSocket(url, {
      headers,
      origin: spec.origin || undefined,
      perMessageDeflate: true, // offered, as every browser does
      skipUTF8Validation: true, // the frames are parsed as JSON only after the timing
      handshakeTimeout: spec.timeout * 1000,
      maxPayload: 2 ** 22,
    });
    const prefixBuffers = spec.record.map((name) => Buffer.from(`42["${name}"`));
    const client = { ws, events: 0, recorded: [], open: false, acks: new Map(), nextAck: 1 };
    let stage = "opening";
    const timer = setTimeout(() => fail(new Error("timed out")), spec.timeout * 1000);

    function fail(error) {
      clearTimeout(timer);
      if (stage !== "ready") {
        stage = "failed";
        ws.terminate();
        reject(error);
      }
    }

    ws.on("error", (error) => fail(error));
    ws.on("close", () => {
      client.open = false;
      for (const [, waiter] of client.acks) waiter.reject(new Error("the server closed the connection"));
      client.acks.clear();
      fail(new Error("the server closed the connection"));
    });
    ws.on("message", (data, isBinary) => {
      const received = now();
      if (isBinary) return;
      if (stage === "ready" && data[0] === 0x34 && data[1] === 0x32) {
        // An event (42...): counted, and kept as it came when recorded; decoded later.
        client.events += 1;
        if (prefixBuffers.some((prefix) => data.subarray(0, prefix.length).equals(prefix))) {
          client.recorded.push([received, data]);
        }
        return;
      }
      const frame = data.toString();
      const kind = frame[0];
      if (kind === "2") {
        ws.send("3");
      } else if (kind === "0" && stage === "opening") {
        stage = "connecting";
        ws.send("40");
      } else if (kind === "4") {
        const packet = frame[1];
        if (packet === "2") {
          client.events += 1;
        } else if (packet === "3") {
          const body = frame.slice(2);
          const digits = body.match(/^\d+/)[0];
          const waiter = client.acks.get(Number(digits));
          if (waiter) {
            client.acks.delete(Number(digits));
            const values = JSON.parse(body.slice(digits.length));
            waiter.resolve(values.length ? values[0] : null);
          }
        } else if (packet === "0" && stage === "connecting") {
          stage = "ready";
          clearTimeout(timer);
          client.open = true;
          client.deflate = Boolean(ws.extensions && ws.extensions.includes("permessage-deflate"));
          resolve(client);
        } else if (packet === "4") {
          fail(new Error(`refused: ${frame.slice(2, 200)}`));
        }
      } else if (kind === "1") {
        ws.close();
      }
    });
  });
}

function call(client, event, data, timeout) {
  return new Promise((resolve, reject) => {
    const ident = client.nextAck++;
    const timer = setTimeout(() => {
      client.acks.delete(ident);
      reject(new Error("no acknowledgement"));
    }, timeout * 1000);
    client.acks.set(ident, {
      resolve: (value) => { clearTimeout(timer); resolve(value); },
      reject: (error) => { clearTimeout(timer); reject(error); },
    });
    client.ws.send(`42${ident}` + JSON.stringify([event, data]));
  });
}

async function connectMany(spec) {
  const outcome = { connected: 0, joined: 0, deflate: 0, errors: [], seconds: 0 };
  const started = now();
  let next = 0;
  async function worker() {
    while (next < spec.count) {
      next += 1;
      let client;
      try {
        client = await connectOne(spec);
      } catch (error) {
        outcome.errors.push(`${error.name}: ${error.message}`.slice(0, 200));
        continue;
      }
      clients.push(client);
      outcome.connected += 1;
      outcome.deflate += client.deflate ? 1 : 0;
      if (spec.join_event === null) continue;
      try {
        const ack = await call(client, spec.join_event, spec.join_data, spec.timeout);
        if (ack && typeof ack === "object" && ack.ok) outcome.joined += 1;
        else outcome.errors.push(`join refused: ${JSON.stringify(ack)}`.slice(0, 200));
      } catch (error) {
        outcome.errors.push(`join: ${error.message}`.slice(0, 200));
      }
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(spec.concurrency, spec.count)) }, worker));
  outcome.seconds = now() - started;
  return outcome;
}

function closeAll() {
  for (const client of clients) {
    try {
      client.ws.send("41");
      client.ws.close();
    } catch (error) {
      // already closed
    }
  }
  clients.length = 0;
}

async function handle(message) {
  const { command, argument } = message;
  if (command === "connect") return connectMany(argument);
  if (command === "stats") return [clients.filter((c) => c.open).length, clients.map((c) => c.events)];
  if (command === "receipts") {
    const entries = [];
    for (const client of clients) {
      for (const [received, frame] of client.recorded) entries.push([received, ...eventKey(frame)]);
      client.recorded.length = 0;
    }
    return entries;
  }
  if (command === "close") return closeAll();
  if (command === "exit") {
    closeAll();
    setTimeout(() => process.exit(0), 100);
    return null;
  }
  throw new Error(`unknown command ${command}`);
}

const lines = readline.createInterface({ input: process.stdin });
let queue = Promise.resolve();
lines.on("line", (line) => {
  queue = queue.then(async () => {
    let answer;
    try {
      answer = { ok: await handle(JSON.parse(line)) ?? null };
    } catch (error) {
      answer = { error: String(error && error.stack ? error.stack : error) };
    }
    process.stdout.write(JSON.stringify(answer) + "\n");
  });
});
lines.on("close", () => { closeAll(); process.exit(0); });

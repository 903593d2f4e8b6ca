//! Deterministic, realistic log generator for benchmarks and samples.
//!
//! ```text
//! cargo run --release --example gen -- --format plain --size 1GiB --seed 1 --out /tmp/x.log
//! cargo run --release --example gen -- --format json --size 1GiB --seed 1 --out x.json
//! ```
//!
//! The same `--seed`, `--size` and options always give byte-identical output.
//! Only `std` is used (the PRNG is a hand-written xoshiro256**), so the example
//! adds no dependency to the crate.
//!
//! What the plain output looks like:
//!
//! ```text
//! 2026-11-28T13:04:05.123Z ERROR [checkout-7f9c] checkout.db.ConnectionFactory - Connection to 10.2.3.4:5432 timed out after 350 ms
//! ```
//!
//! * timestamps rise monotonically across the day (or the `--from`/`--to` window),
//!   spread over the requested size by byte position, with a diurnal swing
//!   (about 4x more traffic at midday than at midnight) and per-minute noise;
//! * ~70 message templates with Zipf-like frequencies inside each level, and
//!   variable parts (ids, UUIDs, IPs, ports, durations, paths, key=value pairs,
//!   quoted values, hex);
//! * levels: INFO ~73%, DEBUG ~15%, WARN ~8%, ERROR ~2%, TRACE ~1.5%, FATAL rare;
//! * some ERROR records carry a Java stack trace (with `Caused by:` and
//!   `... N more`) or a Python traceback, matching the service's language;
//! * an error spike: for 10 minutes from `--spike` (default 13:55) the error share
//!   jumps about 20x, dominated by three templates (connection timeouts, an
//!   exhausted connection pool, upstream 503s), and volume rises by half;
//! * unless `--clean`: a few garbage lines at fixed fractions of the size
//!   (latin-1 mojibake, raw invalid UTF-8, an ANSI-coloured line, a CRLF line,
//!   one 100 KB line, a 4 KiB block of NUL bytes).
//!
//! Output stops at the first record boundary at or past `--size` (so the output
//! is at most one record longer than asked).
//!
//! The other formats render the same events (the same templates, levels,
//! services, timestamps, spike; a second PRNG makes the details that only some
//! formats print, so the main sequence of events is the same for a seed in every
//! format). Hosts are `ip-10-0-X-Y` and pids are fixed per instance.
//!
//! * `--format json`: one object per line. Each service logs the way its
//!   ecosystem's JSON logger does, so keys, their order and level spellings vary:
//!
//!   | service   | style                  | time                         | level                   | message   | service key    | stack trace         |
//!   |-----------|------------------------|------------------------------|-------------------------|-----------|----------------|---------------------|
//!   | api       | Node.js pino/pino-http | `time` epoch ms              | `level` 10..60          | `msg`     | `service`      | (none)              |
//!   | auth      | ecs-logging-java       | `@timestamp` RFC 3339        | `log.level` ERROR       | `message` | `service.name` | `error.stack_trace` |
//!   | checkout  | hand-rolled            | `ts` RFC 3339                | `level` error           | `msg`     | `service`      | `stack`             |
//!   | payments  | Java, http nested      | `time` RFC 3339              | `level` ERROR           | `message` | `service`      | `stack`             |
//!   | inventory | Google Cloud           | `time` RFC 3339 `+00:00`     | `severity` WARNING      | `message` | `service`      | `stack`             |
//!   | search    | Go zap                 | `ts` epoch seconds (float)   | `level` error           | `msg`     | `service`      | (none)              |
//!   | notify    | python-json-logger     | `timestamp` µs `+00:00`      | `levelname` WARNING     | `message` | `service`      | `exc_info`          |
//!   | recs      | structlog              | `timestamp` µs `Z`           | `level` warning         | `event`   | `app`          | `exception`         |
//!
//!   Variables of the message also appear as fields (`method`, `status`,
//!   `path`, `duration_ms`, `user`, `user_id`, `tenant`, `order_id`, `sku`,
//!   `topic`, `upstream`, `client_ip`; numbers unquoted); payments and
//!   inventory nest `"http":{"method","status","path"}`, pino writes
//!   `req`/`res`/`responseTime`; request-scoped records of the Java and Go
//!   services carry `trace_id` (`trace.id` for ECS). Stack traces are one
//!   escaped string, so every record is one line. Garbage (unless `--clean`):
//!   the plain kinds (invalid UTF-8 inside a record and as a raw line, ANSI
//!   escapes, a CRLF line, a 100 KB record, a NUL block) plus two truncated
//!   records and one plain-text (non-JSON) line.
//! * `--format logfmt`: `ts=... level=error service=checkout host=... logger=...
//!   msg="..." duration_ms=350 ... trace_id=... stack="...\n\tat ..."` (Go
//!   services write `level=` first); values quoted and escaped as go-logfmt does,
//!   the stack trace escaped into one `stack=` value. Garbage as for plain.
//! * `--format syslog`: RFC 3164 with PRI,
//!   `<11>Nov 28 13:04:05 ip-10-0-3-17 checkout[4242]: Connection to ...`;
//!   PRI = facility * 8 + severity (facility user(1), authpriv(10) for auth,
//!   local0(16) for notify and recs; severity fatal 2, error 3, warn 4, info 6,
//!   debug and trace 7). Stack traces are kept as separate syslog lines, each
//!   with the record's header, tabs escaped `#011` as rsyslog writes them
//!   (blank trace lines dropped). Garbage as for plain.
//!
//! The bundled sample (`testdata/sample/`) was made with:
//!
//! ```text
//! gen --date 2026-11-28 --from 13:20 --to 14:30 --size 60KB --clean --seed 10 --out testdata/sample/app.log
//! gen --date 2026-11-27 --from 13:20 --to 14:30 --spike none --size 60KB --clean --seed 22 | gzip -n -9 > testdata/sample/app.log.1.gz
//! ```

use std::fs::File;
use std::io::{self, Write};
use std::process;

const USAGE: &str = "\
gen - deterministic realistic log generator

USAGE:
    cargo run --release --example gen -- [OPTIONS]

OPTIONS:
    --format FMT     plain (default), json, logfmt, syslog
    --size SIZE      output size: 1GiB, 10MiB, 500KB, 64M, 12345 (default 10MiB)
                     KiB/MiB/GiB and K/M/G are powers of 1024; KB/MB/GB of 1000
    --seed N         PRNG seed (default 1)
    --out PATH       output file; '-' or absent = stdout
    --date Y-M-D     the day of the timestamps (default 2026-11-28)
    --from HH:MM     first minute of the time window (default 00:00)
    --to HH:MM       end of the time window, exclusive (default 24:00)
    --spike HH:MM    start of the 10-minute error spike, or 'none' (default 13:55)
    --clean          no garbage lines (invalid UTF-8, NUL block, long line,
                     truncated JSON, ...)
    -h, --help       this text
";

// ---------------------------------------------------------------------------
// PRNG: xoshiro256** seeded through splitmix64.

struct Rng {
    s: [u64; 4],
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl Rng {
    fn new(seed: u64) -> Rng {
        let mut st = seed;
        let s = [
            splitmix64(&mut st),
            splitmix64(&mut st),
            splitmix64(&mut st),
            splitmix64(&mut st),
        ];
        Rng { s }
    }

    #[inline]
    fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// Uniform in [0, n) (multiply-shift; the bias is far below anything visible).
    #[inline]
    fn below(&mut self, n: u64) -> u64 {
        ((self.next_u64() as u128 * n as u128) >> 64) as u64
    }

    /// Uniform in [lo, hi].
    #[inline]
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    /// Uniform in [0, 1).
    #[inline]
    fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Log-uniform in [lo, hi): small values are common, large ones rare.
    #[inline]
    fn log_uniform(&mut self, lo: f64, hi: f64) -> u64 {
        (lo * (hi / lo).powf(self.f64())) as u64
    }
}

// ---------------------------------------------------------------------------
// Small formatting helpers writing into the reused output buffer.

#[inline]
fn push_u64(out: &mut Vec<u8>, mut n: u64) {
    let mut tmp = [0u8; 20];
    let mut i = tmp.len();
    loop {
        i -= 1;
        tmp[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    out.extend_from_slice(&tmp[i..]);
}

#[inline]
fn push_padded(out: &mut Vec<u8>, mut n: u64, width: usize) {
    let mut tmp = [b'0'; 20];
    let mut i = tmp.len();
    while n > 0 {
        i -= 1;
        tmp[i] = b'0' + (n % 10) as u8;
        n /= 10;
    }
    let start = tmp.len() - width.max(tmp.len() - i);
    out.extend_from_slice(&tmp[start..]);
}

#[inline]
fn push_hex(out: &mut Vec<u8>, v: u64, digits: usize, upper: bool) {
    let table: &[u8; 16] = if upper {
        b"0123456789ABCDEF"
    } else {
        b"0123456789abcdef"
    };
    for k in (0..digits).rev() {
        out.push(table[((v >> (4 * k)) & 0xf) as usize]);
    }
}

// ---------------------------------------------------------------------------
// The fleet.

#[derive(Clone, Copy, PartialEq)]
enum Lang {
    Go,
    Java,
    Python,
}

struct Service {
    name: &'static str,
    lang: Lang,
    instances: usize,
}

const SERVICES: &[Service] = &[
    Service {
        name: "api",
        lang: Lang::Go,
        instances: 6,
    },
    Service {
        name: "auth",
        lang: Lang::Java,
        instances: 3,
    },
    Service {
        name: "checkout",
        lang: Lang::Java,
        instances: 4,
    },
    Service {
        name: "payments",
        lang: Lang::Java,
        instances: 3,
    },
    Service {
        name: "inventory",
        lang: Lang::Java,
        instances: 3,
    },
    Service {
        name: "search",
        lang: Lang::Go,
        instances: 4,
    },
    Service {
        name: "notify",
        lang: Lang::Python,
        instances: 3,
    },
    Service {
        name: "recs",
        lang: Lang::Python,
        instances: 2,
    },
];

const API: usize = 0;
const AUTH: usize = 1;
const CHECKOUT: usize = 2;
const PAYMENTS: usize = 3;
const INVENTORY: usize = 4;
const SEARCH: usize = 5;
const NOTIFY: usize = 6;
const RECS: usize = 7;

const ALL: &[usize] = &[
    API, AUTH, CHECKOUT, PAYMENTS, INVENTORY, SEARCH, NOTIFY, RECS,
];
const JAVA: &[usize] = &[AUTH, CHECKOUT, PAYMENTS, INVENTORY];
const GO: &[usize] = &[API, SEARCH];
const PY: &[usize] = &[NOTIFY, RECS];
const JAVA_GO: &[usize] = &[API, AUTH, CHECKOUT, PAYMENTS, INVENTORY, SEARCH];

/// Instance ids are fixed (independent of the seed), so every file shows the same fleet.
fn instance_id(svc: usize, k: usize) -> u16 {
    let mut st = 0x5EED_u64 ^ ((svc as u64) << 8) ^ k as u64;
    splitmix64(&mut st) as u16
}

// ---------------------------------------------------------------------------
// Levels and templates.

#[derive(Clone, Copy, PartialEq, Debug)]
enum Level {
    Trace,
    Debug,
    Info,
    Warn,
    Error,
    Fatal,
}

const LEVELS: [Level; 6] = [
    Level::Trace,
    Level::Debug,
    Level::Info,
    Level::Warn,
    Level::Error,
    Level::Fatal,
];

impl Level {
    fn padded(self) -> &'static [u8] {
        match self {
            Level::Trace => b"TRACE",
            Level::Debug => b"DEBUG",
            Level::Info => b"INFO ",
            Level::Warn => b"WARN ",
            Level::Error => b"ERROR",
            Level::Fatal => b"FATAL",
        }
    }
}

/// Share of records per level outside the spike (INFO takes the rest).
const LEVEL_SHARE: [(Level, f64); 5] = [
    (Level::Trace, 0.015),
    (Level::Debug, 0.15),
    (Level::Warn, 0.078),
    (Level::Error, 0.02),
    (Level::Fatal, 0.0002),
];

#[derive(Clone, Copy)]
enum Trace {
    None,
    /// Java stack trace with this probability in percent; `Some(i)` forces shape i.
    Java(u8, Option<usize>),
    /// Python traceback with this probability in percent; `Some(i)` forces shape i.
    Python(u8, Option<usize>),
}

struct Tpl {
    level: Level,
    svcs: &'static [usize],
    logger: &'static str,
    msg: &'static str,
    trace: Trace,
    /// Weight among the templates that dominate the error spike (0 = not a spike template).
    spike: u32,
}

const fn t(level: Level, svcs: &'static [usize], logger: &'static str, msg: &'static str) -> Tpl {
    Tpl {
        level,
        svcs,
        logger,
        msg,
        trace: Trace::None,
        spike: 0,
    }
}

const fn tt(
    level: Level,
    svcs: &'static [usize],
    logger: &'static str,
    msg: &'static str,
    trace: Trace,
    spike: u32,
) -> Tpl {
    Tpl {
        level,
        svcs,
        logger,
        msg,
        trace,
        spike,
    }
}

use Level::{Debug as D, Error as E, Fatal as F, Info as I, Trace as T, Warn as W};

/// Message templates. `${name}` is a variable (see `Var` and `CHOICES`).
/// Within a level they are listed most frequent first: the weight of the
/// template of rank r is 1 / (r + 1)^1.1 (Zipf-like).
#[rustfmt::skip]
const TEMPLATES: &[Tpl] = &[
    // ---- INFO
    t(I, GO, "http.access", "${method} ${path} ${status} ${ms}ms bytes=${bytes} client=${pubip} ua=\"${ua}\""),
    t(I, JAVA, "${svc}.web.RequestLoggingFilter", "Request completed method=${method} path=${path} status=${status} duration_ms=${ms} user=${user} trace_id=${hex16}"),
    t(I, ALL, "health.Probe", "Health check passed: db=ok cache=ok queue=ok uptime=${uptime}s host=${host}"),
    t(I, &[SEARCH], "search.Handler", "Search query=\"${query}\" results=${n} took=${ms}ms tenant=${tenant}"),
    t(I, &[CHECKOUT], "checkout.OrderService", "Order ${oid} placed by user=${user} items=${nsmall} total=${amount} ${currency}"),
    t(I, &[AUTH], "auth.LoginController", "User ${user} logged in from ${pubip} (session=${uuid})"),
    t(I, &[CHECKOUT, PAYMENTS, INVENTORY], "kafka.EventPublisher", "Published event ${event} to topic ${topic} partition=${partition} offset=${offset}"),
    t(I, &[PAYMENTS], "payments.AuthorizationService", "Payment authorized order=${oid} amount=${amount} ${currency} card=****${last4} psp=${psp} latency=${ms}ms"),
    t(I, &[INVENTORY], "inventory.ReservationService", "Stock reserved sku=${sku} qty=${nsmall} warehouse=${warehouse} reservation=${uuid}"),
    t(I, &[NOTIFY], "celery.app.trace", "Task ${notifytask}[${uuid}] succeeded in ${secs}s: None"),
    t(I, &[AUTH], "auth.TokenEndpoint", "Token issued for client_id=${client} scope=\"read write\" expires_in=3600"),
    t(I, &[RECS], "recs.ranker", "Recommendations computed for user_id=${uid} model=als-v${nsmall} candidates=${n} in ${ms}ms"),
    t(I, &[NOTIFY], "notify.mailer", "Sent email template=${mailtpl} to=${email} message_id=<${hex16}@mail.acme.io>"),
    t(I, &[API], "http.client", "GET http://${dep}.svc.cluster.local:8080/internal/v1/status -> ${status} in ${ms}ms"),
    t(I, &[CHECKOUT], "checkout.CartService", "Cart ${uuid} updated: added sku=${sku} qty=${nsmall}"),
    t(I, JAVA, "hikari.HikariPool", "HikariPool-1 - Pool stats (total=${poolsize}, active=${nsmall}, idle=${nsmall}, waiting=0)"),
    t(I, ALL, "scheduler.JobRunner", "Scheduled job ${job} started run_id=${uuid}"),
    t(I, ALL, "scheduler.JobRunner", "Scheduled job ${job} finished in ${ms} ms, processed=${n} rows"),
    t(I, &[SEARCH], "search.indexer", "Index segment merged: segments=${nsmall} docs=${bytes} took ${ms}ms"),
    t(I, &[API], "ratelimit", "Rate limit window reset for tenant=${tenant} remaining=${n}"),
    t(I, GO, "http.client", "Retrying request after error: ${neterr} (attempt ${attempt}/3)"),
    t(I, &[AUTH], "auth.ProfileService", "User ${user} updated profile fields=[email,phone] request_id=${uuid}"),
    t(I, &[CHECKOUT], "checkout.ShippingService", "Shipment label created order=${oid} carrier=${carrier} tracking=1Z${hexup}"),
    t(I, &[INVENTORY], "kafka.ConsumerCoordinator", "[Consumer clientId=inventory-sync-${nsmall}, groupId=inventory-sync] Adding newly assigned partitions: inventory.events-${partition}"),
    t(I, ALL, "config.FeatureFlags", "Refreshed feature flags: ${n} flags, version=${version}"),
    t(I, &[RECS], "celery.app.trace", "Task ${recstask}[${uuid}] succeeded in ${secs}s: None"),
    t(I, ALL, "metrics.Reporter", "error_count=${nsmall} warn_count=${n} requests=${bytes} over last 60s"),
    t(I, JAVA, "${svc}.Application", "Started ${svc}-service in ${secs} seconds (process running for ${secs})"),
    // ---- DEBUG
    t(D, JAVA_GO, "cache.RedisCache", "Cache hit key=\"${cachekey}\" ttl=${n}s"),
    t(D, JAVA_GO, "cache.RedisCache", "Cache miss key=\"${cachekey}\", loading from db"),
    t(D, JAVA, "sql.QueryLogger", "SQL: ${sql} [${uid}] (${ms}ms)"),
    t(D, GO, "grpc.client", "gRPC call ${grpcmethod} deadline=${ms}ms peer=${ip}:${port}"),
    t(D, &[API, AUTH], "auth.JwtVerifier", "Decoded JWT sub=${uid} iss=https://auth.acme.io aud=api exp=${epoch}"),
    t(D, ALL, "http.client", "Outgoing headers: {\"X-Request-Id\": \"${uuid}\", \"X-Tenant\": \"${tenant}\"}"),
    t(D, PY, "urllib3.connectionpool", "Starting new HTTPS connection (1): ${dep}.svc.cluster.local:443"),
    t(D, JAVA, "kafka.ConsumerLoop", "Message received topic=${topic} partition=${partition} offset=${offset} key=${hex8}"),
    t(D, ALL, "config.FeatureFlags", "Evaluating flag \"${flag}\" for user=${user}: ${bool}"),
    t(D, JAVA, "codec.PayloadSerializer", "Serialized payload size=${bytes} bytes checksum=0x${hex8}"),
    t(D, &[INVENTORY, CHECKOUT], "lock.DistributedLock", "Acquired lock \"inventory:${sku}\" owner=${hex8} after ${ms}ms"),
    t(D, GO, "http.validator", "Validation passed for ${path} (0 error(s), ${nsmall} warning(s))"),
    // ---- TRACE
    t(T, JAVA, "${svc}.aop.TraceAspect", "Entering ${javamethod}(userId=${uid})"),
    t(T, JAVA, "${svc}.aop.TraceAspect", "Exiting ${javamethod} -> ${bool} in ${us}us"),
    t(T, GO, "otel.tracer", "span ${hex16} child of ${hex16} name=${span} dur=${us}us"),
    t(T, GO, "net.bufio", "Buffer state: read=${bytes} write=${bytes} cap=65536"),
    // ---- WARN
    t(W, JAVA, "sql.SlowQueryLogger", "Slow query took ${msslow}ms: SELECT * FROM order_items WHERE order_id = '${oid}'"),
    t(W, ALL, "http.client", "Retrying request to http://${dep}.svc.cluster.local:8080 (attempt ${attempt}/3) after ${ms}ms: ${neterr}"),
    t(W, &[API], "ratelimit", "Rate limit exceeded for client=${pubip} tenant=${tenant} limit=100/min"),
    t(W, JAVA, "jvm.GcMonitor", "GC pause ${ms}ms (G1 Evacuation Pause) heap=${heap}M->${heap}M"),
    t(W, &[API], "http.access", "Deprecated API version used: path=${path} user-agent=\"${ua}\""),
    t(W, ALL, "resilience.CircuitBreaker", "Circuit breaker '${dep}' changed state from CLOSED to OPEN after ${nsmall} failures"),
    t(W, JAVA_GO, "cache.RedisCache", "Cache eviction: memory usage ${pct}% above high watermark"),
    t(W, &[PAYMENTS], "payments.RetryScheduler", "Payment retry scheduled order=${oid} reason=\"${declinecode}\" next_attempt_in=${nsmall}m"),
    t(W, ALL, "slo.BurnRate", "error budget burn rate ${float}x over 1h window for slo=${svc}-availability"),
    t(W, &[NOTIFY], "celery.app.trace", "Task ${notifytask}[${uuid}] retry: Retry in ${nsmall}s: ConnectionError('Connection aborted.')"),
    t(W, JAVA, "hikari.HikariPool", "HikariPool-1 - Thread starvation or clock leap detected (housekeeper delta=${secs}s)."),
    t(W, GO, "http.server", "http: TLS handshake error from ${pubip}:${eport}: EOF"),
    // ---- ERROR
    tt(E, JAVA_GO, "${svc}.db.ConnectionFactory", "Connection to ${dbaddr} timed out after ${timeout} ms", Trace::None, 45),
    tt(E, JAVA, "${svc}.web.GlobalExceptionHandler", "Request failed: method=${method} path=${path} status=500 error=\"${errmsg}\" trace_id=${hex16}", Trace::Java(25, None), 0),
    tt(E, &[API, CHECKOUT, PAYMENTS], "upstream.Client", "Upstream ${dep} returned 503 Service Unavailable after ${ms}ms", Trace::None, 15),
    tt(E, JAVA, "hikari.HikariPool", "HikariPool-1 - Connection is not available, request timed out after 30000ms.", Trace::Java(30, Some(0)), 30),
    tt(E, JAVA, "${svc}.web.DispatcherServlet", "Unhandled exception in request handler for ${method} ${path}", Trace::Java(100, None), 0),
    tt(E, &[NOTIFY], "celery.app.trace", "Task ${notifytask}[${uuid}] raised unexpected exception", Trace::Python(100, None), 0),
    t(E, &[PAYMENTS], "payments.AuthorizationService", "Payment declined by provider order=${oid} code=${declinecode} amount=${amount} ${currency}"),
    tt(E, JAVA, "kafka.ConsumerLoop", "Failed to process message from topic=${topic} offset=${offset}: ${errmsg}", Trace::Java(20, None), 0),
    tt(E, &[NOTIFY], "notify.push", "Could not send push notification to device=${hex16}: error code ${apnscode}", Trace::Python(20, Some(1)), 0),
    t(E, &[INVENTORY], "inventory.StockRepository", "Deadlock detected while updating sku=${sku}; transaction rolled back"),
    t(E, GO, "http.server", "panic recovered: runtime error: index out of range [${nsmall}] with length ${nsmall}"),
    t(E, &[AUTH], "auth.TokenEndpoint", "Failed to refresh token for client_id=${client}: invalid_grant"),
    tt(E, &[RECS], "recs.api", "Error while scoring candidates for user_id=${uid}", Trace::Python(100, Some(2)), 0),
    // ---- FATAL
    t(F, JAVA, "${svc}.Application", "Application run failed: Could not bind to 0.0.0.0:${port}: Address already in use"),
    t(F, GO, "main", "failed to load configuration from /etc/${svc}/config.yaml: open /etc/${svc}/config.yaml: permission denied"),
    t(F, JAVA, "jvm.OomHandler", "java.lang.OutOfMemoryError: Java heap space - shutting down (heap=${heap}M)"),
];

/// Named lists of alternatives; each entry is itself a pattern. An entry may
/// start with `WEIGHT|`; lists without weights are Zipf-like by rank.
#[rustfmt::skip]
const CHOICES: &[(&str, &[&str])] = &[
    ("method", &["60|GET", "25|POST", "6|PUT", "4|DELETE", "5|PATCH"]),
    ("status", &["800|200", "60|201", "40|204", "30|304", "20|400", "12|401", "5|403", "25|404", "3|409", "5|429", "4|500", "2|502", "3|503"]),
    ("path", &["/api/v1/users/${uid}/orders", "/api/v1/products/${sku}", "/api/v1/cart/${uuid}/items", "/api/v1/orders/${oid}", "/api/v2/search?q=${queryurl}&page=${nsmall}", "/healthz", "/api/v1/users/${uid}", "/api/v1/checkout", "/api/v1/payments/${oid}/capture", "/api/v1/recommendations?user_id=${uid}", "/api/v1/auth/token", "/metrics", "/static/js/app.${hex8}.js", "/api/v1/inventory/${sku}/availability"]),
    ("query", &["running shoes", "usb-c cable", "coffee grinder", "wireless headphones", "standing desk", "yoga mat", "4k monitor", "gift card", "rain jacket", "espresso machine"]),
    ("queryurl", &["running+shoes", "usb-c+cable", "coffee+grinder", "wireless+headphones", "standing+desk", "yoga+mat", "4k+monitor", "gift+card"]),
    ("user", &["alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yusuf", "zoe", "amir", "bea", "chen", "dmitri", "elena", "farah", "goran", "hana", "ines", "svc-batch", "svc-export"]),
    ("email", &["${user}@example.com", "${user}.${user}@mail.example.org", "${user}+shop@example.net"]),
    ("dbaddr", &["10.2.3.4:5432", "10.2.3.5:5432", "10.2.7.19:6379", "10.4.0.11:9092", "10.2.9.30:3306", "10.3.1.8:27017", "10.2.3.6:5432", "10.4.0.12:9092"]),
    ("timeout", &["40|350", "25|500", "15|1000", "8|2000", "6|5000", "6|30000"]),
    ("port", &["5432", "6379", "8080", "8443", "9092", "9090", "3306", "443", "50051"]),
    ("ua", &["Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148", "okhttp/4.12.0", "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36", "python-requests/2.32.3", "Go-http-client/2.0", "curl/8.5.0"]),
    ("neterr", &["connection reset by peer", "i/o timeout", "context deadline exceeded", "EOF", "connection refused", "no route to host"]),
    ("errmsg", &["context deadline exceeded", "connection refused", "unexpected EOF", "duplicate key value violates unique constraint \\\"orders_pkey\\\"", "no rows in result set", "invalid character '<' looking for beginning of value", "i/o timeout"]),
    ("dep", &["payments", "inventory", "auth", "search", "recs", "stripe-api", "postgres-primary"]),
    ("topic", &["orders.v1", "payments.v1", "inventory.events", "user.signups", "notifications.push"]),
    ("event", &["OrderCreated", "OrderPaid", "StockReserved", "UserSignedUp", "CartAbandoned", "OrderShipped"]),
    ("psp", &["stripe", "adyen", "braintree"]),
    ("warehouse", &["AMS1", "FRA2", "DUB1", "IAD3", "SFO1"]),
    ("notifytask", &["notify.tasks.send_push", "notify.tasks.send_email", "notify.tasks.send_sms"]),
    ("recstask", &["recs.tasks.rebuild_user_vector", "recs.tasks.refresh_trending"]),
    ("client", &["web-frontend", "ios-app", "android-app", "partner-portal", "batch-export", "cli"]),
    ("tenant", &["acme-retail", "globex", "initech", "umbrella", "hooli", "stark-ind", "wayne-ent", "tyrell", "soylent", "cyberdyne"]),
    ("job", &["nightly-reconcile", "cart-expiry", "index-compaction", "invoice-export", "stale-session-cleanup"]),
    ("mailtpl", &["order_confirmation", "password_reset", "shipping_update", "weekly_digest"]),
    ("carrier", &["UPS", "DHL", "FedEx", "PostNL"]),
    ("cachekey", &["user:${uid}:profile", "cart:${uuid}", "price:${sku}", "session:${hex16}", "flags:${tenant}"]),
    ("sql", &["SELECT id, status, total FROM orders WHERE user_id = ? ORDER BY created_at DESC LIMIT 50", "UPDATE inventory SET reserved = reserved + ? WHERE sku = ?", "INSERT INTO payments (order_id, amount, currency, status) VALUES (?, ?, ?, ?)", "SELECT * FROM sessions WHERE token_hash = ?"]),
    ("grpcmethod", &["/inventory.v1.Stock/Reserve", "/search.v1.Search/Query", "/auth.v1.Auth/Verify", "/recs.v1.Recs/ForUser"]),
    ("flag", &["new-checkout-flow", "recs-v2", "dark-mode", "express-shipping"]),
    ("bool", &["true", "false"]),
    ("javamethod", &["OrderService.placeOrder", "CartService.addItem", "PriceCalculator.compute", "InventoryClient.reserve", "TokenService.verify"]),
    ("span", &["db.query", "http.request", "cache.get", "kafka.produce", "grpc.call"]),
    ("declinecode", &["insufficient_funds", "do_not_honor", "expired_card", "fraudulent", "card_velocity_exceeded"]),
    ("apnscode", &["410 (Unregistered)", "400 (BadDeviceToken)", "429 (TooManyRequests)"]),
    ("currency", &["70|EUR", "20|USD", "10|GBP"]),
    ("poolsize", &["10", "20", "50"]),
];

/// Java stack traces: the exception line, `\tat` frames, optional `Caused by:`.
const JAVA_TRACES: &[&str] = &[
    // 0: the one HikariPool timeouts get
    "org.springframework.dao.DataAccessResourceFailureException: Unable to acquire JDBC Connection; nested exception is java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.
\tat org.springframework.jdbc.datasource.DataSourceUtils.getConnection(DataSourceUtils.java:84)
\tat org.springframework.jdbc.core.JdbcTemplate.execute(JdbcTemplate.java:376)
\tat org.springframework.jdbc.core.JdbcTemplate.query(JdbcTemplate.java:465)
\tat com.acme.${svc}.repository.OrderRepository.findByUserId(OrderRepository.java:57)
\tat com.acme.${svc}.service.OrderService.listOrders(OrderService.java:112)
\tat com.acme.${svc}.web.OrderController.list(OrderController.java:48)
\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)
\tat java.base/java.lang.reflect.Method.invoke(Method.java:580)
\tat org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255)
\tat org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)
\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)
\tat jakarta.servlet.http.HttpServlet.service(HttpServlet.java:658)
\tat org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:140)
\tat org.apache.tomcat.util.threads.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:659)
\tat java.base/java.lang.Thread.run(Thread.java:1583)
Caused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, request timed out after 30000ms.
\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:686)
\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:179)
\tat com.zaxxer.hikari.pool.HikariPool.getConnection(HikariPool.java:144)
\tat com.zaxxer.hikari.HikariDataSource.getConnection(HikariDataSource.java:127)
\tat org.springframework.jdbc.datasource.DataSourceUtils.fetchConnection(DataSourceUtils.java:160)
\tat org.springframework.jdbc.datasource.DataSourceUtils.doGetConnection(DataSourceUtils.java:118)
\t... 13 more",
    "java.lang.IllegalStateException: Order ${oid} cannot transition from CANCELLED to PAID
\tat com.acme.${svc}.domain.Order.markPaid(Order.java:203)
\tat com.acme.${svc}.service.OrderService.confirmPayment(OrderService.java:148)
\tat com.acme.${svc}.messaging.PaymentEventsListener.onPaymentAuthorized(PaymentEventsListener.java:61)
\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)
\tat java.base/java.lang.reflect.Method.invoke(Method.java:580)
\tat org.springframework.messaging.handler.invocation.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:169)
\tat org.springframework.kafka.listener.adapter.HandlerAdapter.invoke(HandlerAdapter.java:56)
\tat org.springframework.kafka.listener.KafkaMessageListenerContainer$ListenerConsumer.doInvokeRecordListener(KafkaMessageListenerContainer.java:2797)
\tat java.base/java.lang.Thread.run(Thread.java:1583)",
    "java.lang.NullPointerException: Cannot invoke \"com.acme.${svc}.model.Cart.getItems()\" because \"cart\" is null
\tat com.acme.${svc}.service.PriceCalculator.compute(PriceCalculator.java:77)
\tat com.acme.${svc}.service.CartService.addItem(CartService.java:131)
\tat com.acme.${svc}.web.CartController.add(CartController.java:59)
\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)
\tat java.base/java.lang.reflect.Method.invoke(Method.java:580)
\tat org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255)
\tat org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)
\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:885)
\tat jakarta.servlet.http.HttpServlet.service(HttpServlet.java:658)
\tat org.apache.tomcat.util.threads.ThreadPoolExecutor$Worker.run(ThreadPoolExecutor.java:659)
\tat java.base/java.lang.Thread.run(Thread.java:1583)",
    "com.acme.payments.client.PaymentGatewayException: Charge failed for order ${oid}
\tat com.acme.payments.client.StripeClient.charge(StripeClient.java:214)
\tat com.acme.payments.service.AuthorizationService.authorize(AuthorizationService.java:96)
\tat com.acme.payments.web.PaymentController.authorize(PaymentController.java:52)
\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)
\tat org.springframework.web.servlet.DispatcherServlet.doDispatch(DispatcherServlet.java:1089)
\tat java.base/java.lang.Thread.run(Thread.java:1583)
Caused by: java.net.SocketTimeoutException: Read timed out
\tat java.base/sun.nio.ch.NioSocketImpl.timedRead(NioSocketImpl.java:278)
\tat java.base/sun.nio.ch.NioSocketImpl.implRead(NioSocketImpl.java:304)
\tat java.base/sun.nio.ch.NioSocketImpl.read(NioSocketImpl.java:346)
\tat java.base/java.net.Socket$SocketInputStream.read(Socket.java:1099)
\tat okhttp3.internal.http1.Http1ExchangeCodec.readResponseHeaders(Http1ExchangeCodec.kt:180)
\tat com.acme.payments.client.StripeClient.charge(StripeClient.java:201)
\t... 18 more",
    "java.util.concurrent.CompletionException: java.net.ConnectException: Connection refused
\tat java.base/java.util.concurrent.CompletableFuture.encodeThrowable(CompletableFuture.java:315)
\tat java.base/java.util.concurrent.CompletableFuture.completeThrowable(CompletableFuture.java:320)
\tat java.base/java.util.concurrent.CompletableFuture$UniApply.tryFire(CompletableFuture.java:649)
\tat com.acme.${svc}.client.InventoryClient.reserve(InventoryClient.java:88)
\tat com.acme.${svc}.service.OrderService.placeOrder(OrderService.java:71)
\tat java.base/java.lang.Thread.run(Thread.java:1583)
Caused by: java.net.ConnectException: Connection refused
\tat java.base/sun.nio.ch.Net.pollConnect(Native Method)
\tat java.base/sun.nio.ch.Net.pollConnectNow(Net.java:682)
\tat java.base/sun.nio.ch.SocketChannelImpl.finishConnect(SocketChannelImpl.java:973)
\tat io.netty.channel.socket.nio.NioSocketChannel.doFinishConnect(NioSocketChannel.java:337)
\t... 9 more",
];

/// Python tracebacks.
const PY_TRACES: &[&str] = &[
    "Traceback (most recent call last):
  File \"/usr/local/lib/python3.12/site-packages/celery/app/trace.py\", line 453, in trace_task
    R = retval = fun(*args, **kwargs)
                 ^^^^^^^^^^^^^^^^^^^^
  File \"/app/${svc}/tasks.py\", line 88, in send_push
    payload = build_payload(event)
              ^^^^^^^^^^^^^^^^^^^^
  File \"/app/${svc}/payload.py\", line 31, in build_payload
    \"user\": event[\"user_id\"],
            ~~~~~^^^^^^^^^^^
KeyError: 'user_id'",
    "Traceback (most recent call last):
  File \"/usr/local/lib/python3.12/site-packages/urllib3/connectionpool.py\", line 793, in urlopen
    response = self._make_request(
               ^^^^^^^^^^^^^^^^^^^
  File \"/usr/local/lib/python3.12/site-packages/urllib3/connectionpool.py\", line 537, in _make_request
    response = conn.getresponse()
               ^^^^^^^^^^^^^^^^^^
ConnectionResetError: [Errno 104] Connection reset by peer

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File \"/app/${svc}/clients.py\", line 42, in fetch_profile
    resp = session.get(url, timeout=2.0)
           ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
  File \"/usr/local/lib/python3.12/site-packages/requests/adapters.py\", line 682, in send
    raise ConnectionError(err, request=request)
requests.exceptions.ConnectionError: ('Connection aborted.', ConnectionResetError(104, 'Connection reset by peer'))",
    "Traceback (most recent call last):
  File \"/app/recs/ranker.py\", line 117, in score
    total = base + weights.get(item_id)
            ~~~~~^~~~~~~~~~~~~~~~~~~~~~
TypeError: unsupported operand type(s) for +: 'float' and 'NoneType'",
];

// ---------------------------------------------------------------------------
// Patterns: compiled once, rendered per record without allocation.

#[derive(Clone, Copy, Debug)]
enum Var {
    Svc,
    Ip,
    PubIp,
    EphemeralPort,
    Ms,
    MsSlow,
    Us,
    Secs,
    Uptime,
    Uuid,
    Hex8,
    Hex16,
    HexUp,
    Uid,
    Oid,
    Sku,
    N,
    NSmall,
    Attempt,
    Partition,
    Offset,
    Bytes,
    Amount,
    Last4,
    Host,
    Epoch,
    Version,
    Pct,
    Float,
    Heap,
}

fn var_by_name(name: &str) -> Option<Var> {
    Some(match name {
        "svc" => Var::Svc,
        "ip" => Var::Ip,
        "pubip" => Var::PubIp,
        "eport" => Var::EphemeralPort,
        "ms" => Var::Ms,
        "msslow" => Var::MsSlow,
        "us" => Var::Us,
        "secs" => Var::Secs,
        "uptime" => Var::Uptime,
        "uuid" => Var::Uuid,
        "hex8" => Var::Hex8,
        "hex16" => Var::Hex16,
        "hexup" => Var::HexUp,
        "uid" => Var::Uid,
        "oid" => Var::Oid,
        "sku" => Var::Sku,
        "n" => Var::N,
        "nsmall" => Var::NSmall,
        "attempt" => Var::Attempt,
        "partition" => Var::Partition,
        "offset" => Var::Offset,
        "bytes" => Var::Bytes,
        "amount" => Var::Amount,
        "last4" => Var::Last4,
        "host" => Var::Host,
        "epoch" => Var::Epoch,
        "version" => Var::Version,
        "pct" => Var::Pct,
        "float" => Var::Float,
        "heap" => Var::Heap,
        _ => return None,
    })
}

#[derive(Clone, Debug)]
enum Seg {
    Lit(&'static str),
    Var(Var),
    Choice(usize),
}

type Pattern = Vec<Seg>;

fn compile(src: &'static str) -> Pattern {
    let mut segs = Vec::new();
    let mut rest = src;
    while let Some(pos) = rest.find("${") {
        if pos > 0 {
            segs.push(Seg::Lit(&rest[..pos]));
        }
        let after = &rest[pos + 2..];
        let end = after
            .find('}')
            .unwrap_or_else(|| panic!("unterminated ${{ in pattern {src:?}"));
        let name = &after[..end];
        if let Some(v) = var_by_name(name) {
            segs.push(Seg::Var(v));
        } else if let Some(idx) = CHOICES.iter().position(|(n, _)| *n == name) {
            segs.push(Seg::Choice(idx));
        } else {
            panic!("unknown variable ${{{name}}} in pattern {src:?}");
        }
        rest = &after[end + 1..];
    }
    if !rest.is_empty() {
        segs.push(Seg::Lit(rest));
    }
    segs
}

/// Cumulative-weight sampler.
struct Weighted {
    cum: Vec<u64>,
}

impl Weighted {
    fn new(weights: &[u64]) -> Weighted {
        let mut acc = 0;
        let cum = weights
            .iter()
            .map(|w| {
                acc += w;
                acc
            })
            .collect();
        Weighted { cum }
    }

    fn zipf(n: usize, s: f64) -> Weighted {
        let w: Vec<u64> = (0..n)
            .map(|r| (1_000_000.0 / ((r + 1) as f64).powf(s)) as u64 + 1)
            .collect();
        Weighted::new(&w)
    }

    #[inline]
    fn pick(&self, rng: &mut Rng) -> usize {
        let total = *self.cum.last().unwrap();
        let x = rng.below(total);
        self.cum.partition_point(|&c| c <= x)
    }
}

struct Choice {
    sampler: Weighted,
    entries: Vec<Pattern>,
}

struct Compiled {
    choices: Vec<Choice>,
    /// Per entry of CHOICES: the field it fills, if any.
    choice_field: Vec<Option<Field>>,
}

impl Compiled {
    fn new() -> Compiled {
        let choices = CHOICES
            .iter()
            .map(|(_, entries)| {
                let mut weights = Vec::new();
                let mut pats = Vec::new();
                let mut explicit = false;
                for e in entries.iter() {
                    let (w, body) = match e.split_once('|') {
                        Some((w, body))
                            if !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit()) =>
                        {
                            explicit = true;
                            (w.parse::<u64>().unwrap(), body)
                        }
                        _ => (0, *e),
                    };
                    weights.push(w);
                    pats.push(compile(body));
                }
                let sampler = if explicit {
                    Weighted::new(&weights.iter().map(|&w| w.max(1)).collect::<Vec<_>>())
                } else {
                    Weighted::zipf(pats.len(), 1.0)
                };
                Choice {
                    sampler,
                    entries: pats,
                }
            })
            .collect();
        let choice_field = CHOICES.iter().map(|(name, _)| choice_field(name)).collect();
        Compiled {
            choices,
            choice_field,
        }
    }

    fn render(&self, pat: &Pattern, svc: usize, rng: &mut Rng, out: &mut Vec<u8>) {
        self.render_cap(pat, svc, rng, out, None);
    }

    /// Renders `pat`; with `caps`, also records where the variables that
    /// structured formats turn into fields (see `Field`) landed in `out`
    /// (first occurrence of each field wins). Consumes the same random
    /// numbers either way, so every format sees the same event stream.
    fn render_cap(
        &self,
        pat: &Pattern,
        svc: usize,
        rng: &mut Rng,
        out: &mut Vec<u8>,
        mut caps: Option<&mut Vec<Cap>>,
    ) {
        let mut after_trace_key = false;
        for seg in pat {
            match seg {
                Seg::Lit(s) => {
                    out.extend_from_slice(s.as_bytes());
                    after_trace_key = s.ends_with("trace_id=");
                    continue;
                }
                Seg::Var(v) => {
                    let start = out.len();
                    render_var(*v, svc, rng, out);
                    let field = match v {
                        Var::Hex16 if after_trace_key => Some(Field::TraceId),
                        _ => var_field(*v),
                    };
                    if let (Some(c), Some(f)) = (caps.as_deref_mut(), field) {
                        push_cap(c, f, start, out.len());
                    }
                }
                Seg::Choice(idx) => {
                    let ch = &self.choices[*idx];
                    let k = ch.sampler.pick(rng);
                    let start = out.len();
                    self.render_cap(&ch.entries[k], svc, rng, out, caps.as_deref_mut());
                    if let (Some(c), Some(f)) = (caps.as_deref_mut(), self.choice_field[*idx]) {
                        push_cap(c, f, start, out.len());
                    }
                }
            }
            after_trace_key = false;
        }
    }
}

// ---------------------------------------------------------------------------
// Fields: variables of a message that the structured formats (json, logfmt)
// also emit as fields of their own, as structured loggers do.

#[derive(Clone, Copy, PartialEq, Debug)]
enum Field {
    Method,
    Status,
    Path,
    DurationMs,
    User,
    UserId,
    Tenant,
    OrderId,
    Sku,
    Topic,
    Upstream,
    ClientIp,
    /// The hex id after `trace_id=` in a message.
    TraceId,
}

impl Field {
    fn name(self) -> &'static [u8] {
        match self {
            Field::Method => b"method",
            Field::Status => b"status",
            Field::Path => b"path",
            Field::DurationMs => b"duration_ms",
            Field::User => b"user",
            Field::UserId => b"user_id",
            Field::Tenant => b"tenant",
            Field::OrderId => b"order_id",
            Field::Sku => b"sku",
            Field::Topic => b"topic",
            Field::Upstream => b"upstream",
            Field::ClientIp => b"client_ip",
            Field::TraceId => b"trace_id",
        }
    }
    /// Written as a JSON number (the value is always digits).
    fn numeric(self) -> bool {
        matches!(self, Field::Status | Field::DurationMs | Field::UserId)
    }
    /// Request-scoped: records carrying one get a trace id.
    fn request(self) -> bool {
        matches!(self, Field::Method | Field::Path)
    }
}

fn var_field(v: Var) -> Option<Field> {
    Some(match v {
        Var::Ms | Var::MsSlow => Field::DurationMs,
        Var::Oid => Field::OrderId,
        Var::Sku => Field::Sku,
        Var::Uid => Field::UserId,
        Var::PubIp => Field::ClientIp,
        _ => return None,
    })
}

fn choice_field(name: &str) -> Option<Field> {
    Some(match name {
        "method" => Field::Method,
        "status" => Field::Status,
        "path" => Field::Path,
        "timeout" => Field::DurationMs,
        "user" => Field::User,
        "tenant" => Field::Tenant,
        "topic" => Field::Topic,
        "dep" => Field::Upstream,
        _ => return None,
    })
}

/// A captured field: its value is `msg[start..end]`.
#[derive(Clone, Copy)]
struct Cap {
    field: Field,
    start: u32,
    end: u32,
}

#[inline]
fn push_cap(caps: &mut Vec<Cap>, field: Field, start: usize, end: usize) {
    if !caps.iter().any(|c| c.field == field) {
        caps.push(Cap {
            field,
            start: start as u32,
            end: end as u32,
        });
    }
}

fn render_var(v: Var, svc: usize, rng: &mut Rng, out: &mut Vec<u8>) {
    match v {
        Var::Svc => out.extend_from_slice(SERVICES[svc].name.as_bytes()),
        Var::Ip => {
            out.extend_from_slice(b"10.");
            push_u64(out, rng.below(8));
            out.push(b'.');
            push_u64(out, rng.below(256));
            out.push(b'.');
            push_u64(out, rng.range(1, 254));
        }
        Var::PubIp => {
            // Made-up client addresses; a handful of heavy hitters plus a long tail.
            if rng.below(4) == 0 {
                const HOT: [&str; 5] = [
                    "203.0.113.7",
                    "198.51.100.23",
                    "192.0.2.45",
                    "203.0.113.88",
                    "198.51.100.140",
                ];
                out.extend_from_slice(HOT[rng.below(5) as usize].as_bytes());
            } else {
                push_u64(out, rng.range(24, 223));
                out.push(b'.');
                push_u64(out, rng.below(256));
                out.push(b'.');
                push_u64(out, rng.below(256));
                out.push(b'.');
                push_u64(out, rng.range(1, 254));
            }
        }
        Var::EphemeralPort => push_u64(out, rng.range(32768, 60999)),
        Var::Ms => {
            // Mostly fast, with a long tail: 80% 2-120 ms, 17% 100-1500 ms, 3% up to 10 s.
            let r = rng.below(100);
            let v = if r < 80 {
                rng.log_uniform(2.0, 120.0)
            } else if r < 97 {
                rng.log_uniform(100.0, 1500.0)
            } else {
                rng.log_uniform(1500.0, 10_000.0)
            };
            push_u64(out, v)
        }
        Var::MsSlow => push_u64(out, rng.log_uniform(1000.0, 20000.0)),
        Var::Us => push_u64(out, rng.log_uniform(2.0, 5000.0)),
        Var::Secs => {
            push_u64(out, rng.log_uniform(1.0, 40.0) - 1);
            out.push(b'.');
            push_padded(out, rng.below(1000), 3);
        }
        Var::Uptime => push_u64(out, rng.range(60, 2_000_000)),
        Var::Uuid => {
            let a = rng.next_u64();
            let b = rng.next_u64();
            push_hex(out, a >> 32, 8, false);
            out.push(b'-');
            push_hex(out, (a >> 16) & 0xffff, 4, false);
            out.push(b'-');
            push_hex(out, 0x4000 | (a & 0x0fff), 4, false);
            out.push(b'-');
            push_hex(out, 0x8000 | ((b >> 48) & 0x3fff), 4, false);
            out.push(b'-');
            push_hex(out, b & 0xffff_ffff_ffff, 12, false);
        }
        Var::Hex8 => push_hex(out, rng.next_u64(), 8, false),
        Var::Hex16 => push_hex(out, rng.next_u64(), 16, false),
        Var::HexUp => push_hex(out, rng.next_u64(), 16, true),
        Var::Uid => push_u64(out, rng.log_uniform(1000.0, 9_999_999.0)),
        Var::Oid => {
            out.extend_from_slice(b"ORD-");
            push_padded(out, rng.range(10_000_000, 99_999_999), 8);
        }
        Var::Sku => {
            out.extend_from_slice(b"SKU-");
            push_padded(out, rng.log_uniform(10_000.0, 99_999.0), 5);
        }
        Var::N => push_u64(out, rng.log_uniform(1.0, 500.0)),
        Var::NSmall => push_u64(out, rng.range(1, 9)),
        Var::Attempt => push_u64(out, rng.range(1, 3)),
        Var::Partition => push_u64(out, rng.below(48)),
        Var::Offset => push_u64(out, rng.range(10_000_000, 99_999_999)),
        Var::Bytes => {
            let v = if rng.below(10) < 8 {
                rng.log_uniform(200.0, 20_000.0)
            } else {
                rng.log_uniform(20_000.0, 4_000_000.0)
            };
            push_u64(out, v)
        }
        Var::Amount => {
            push_u64(out, rng.log_uniform(1.0, 800.0));
            out.push(b'.');
            push_padded(out, rng.below(100), 2);
        }
        Var::Last4 => push_padded(out, rng.below(10_000), 4),
        Var::Host => {
            out.extend_from_slice(b"ip-10-0-");
            push_u64(out, rng.below(16));
            out.push(b'-');
            push_u64(out, rng.range(1, 254));
        }
        Var::Epoch => push_u64(out, 1_795_000_000 + rng.below(2_000_000)),
        Var::Version => {
            out.extend_from_slice(b"v2.");
            push_u64(out, rng.range(10, 30));
            out.push(b'.');
            push_u64(out, rng.below(10));
        }
        Var::Pct => push_u64(out, rng.range(80, 99)),
        Var::Float => {
            push_u64(out, rng.range(1, 14));
            out.push(b'.');
            push_u64(out, rng.below(10));
        }
        Var::Heap => push_u64(out, rng.range(256, 4096)),
    }
}

// ---------------------------------------------------------------------------
// The clock: byte position -> time of day.

struct Clock {
    from_min: u32,
    /// cum[i] = share of the output before minute i of the window; cum[n] = 1.
    cum: Vec<f64>,
    idx: usize,
    last_ms: u64,
}

impl Clock {
    fn new(from_min: u32, to_min: u32, spike: Option<u32>, rng: &mut Rng) -> Clock {
        let n = (to_min - from_min) as usize;
        let mut w = Vec::with_capacity(n);
        for i in 0..n {
            let m = (from_min as usize + i) as f64 + 0.5;
            // Diurnal swing: quiet at night, busy around 12:30 UTC (0.4 .. 1.6).
            let diurnal = 1.0 - 0.6 * (2.0 * std::f64::consts::PI * (m - 30.0) / 1440.0).cos();
            let noise = 0.85 + 0.3 * rng.f64();
            let boost = 1.0 + 0.5 * spike_intensity(spike, from_min + i as u32);
            w.push(diurnal * noise * boost);
        }
        let total: f64 = w.iter().sum();
        let mut cum = Vec::with_capacity(n + 1);
        let mut acc = 0.0;
        cum.push(0.0);
        for x in &w {
            acc += x / total;
            cum.push(acc);
        }
        cum[n] = 1.0;
        Clock {
            from_min,
            cum,
            idx: 0,
            last_ms: 0,
        }
    }

    /// Milliseconds since midnight for a position `frac` in [0, 1), never decreasing.
    fn at(&mut self, frac: f64) -> u64 {
        let n = self.cum.len() - 1;
        while self.idx + 1 < n && self.cum[self.idx + 1] <= frac {
            self.idx += 1;
        }
        let lo = self.cum[self.idx];
        let hi = self.cum[self.idx + 1];
        let within = if hi > lo {
            ((frac - lo) / (hi - lo)).clamp(0.0, 0.99999)
        } else {
            0.0
        };
        let ms = (self.from_min as u64 + self.idx as u64) * 60_000 + (within * 60_000.0) as u64;
        self.last_ms = self.last_ms.max(ms);
        self.last_ms
    }

    fn minute(&self) -> u32 {
        self.from_min + self.idx as u32
    }
}

/// 0 outside the spike; 0.5 in its first and last minute, 1 in between.
fn spike_intensity(spike: Option<u32>, minute: u32) -> f64 {
    match spike {
        Some(s) if minute >= s && minute < s + 10 => {
            if minute == s || minute == s + 9 {
                0.5
            } else {
                1.0
            }
        }
        _ => 0.0,
    }
}

// ---------------------------------------------------------------------------
// Output formats. Each format turns one event (timestamp, level, service,
// instance, rendered logger and message, the fields captured from the
// message, optional rendered stack trace) into bytes.

#[derive(Clone, Copy, PartialEq)]
enum Format {
    Plain,
    Json,
    Logfmt,
    Syslog,
}

impl Format {
    fn parse(s: &str) -> Option<Format> {
        Some(match s {
            "plain" => Format::Plain,
            "json" => Format::Json,
            "logfmt" => Format::Logfmt,
            "syslog" => Format::Syslog,
            _ => return None,
        })
    }
}

struct Event<'a> {
    ms: u64,
    /// The level as the plain format prints it (padded; coloured in one garbage line).
    level: &'a [u8],
    lv: Level,
    svc: usize,
    inst: u16,
    logger: &'a [u8],
    msg: &'a [u8],
    /// Fields captured from `msg` (filled for json and logfmt only).
    caps: &'a [Cap],
    /// Continuation lines (already newline-terminated), possibly empty.
    trace: &'a [u8],
    eol: &'a [u8],
}

impl Event<'_> {
    fn cap(&self, f: Field) -> Option<&[u8]> {
        self.caps
            .iter()
            .find(|c| c.field == f)
            .map(|c| &self.msg[c.start as usize..c.end as usize])
    }
    /// The stack trace without its final newline.
    fn stack(&self) -> &[u8] {
        self.trace.strip_suffix(b"\n").unwrap_or(self.trace)
    }
}

/// What rendering needs besides the event: the day, and a PRNG of its own for
/// details only some formats print (trace ids, thread names), so that the main
/// PRNG, and with it the sequence of events, is the same in every format.
struct Fmt {
    format: Format,
    date: Vec<u8>,
    /// Unix time of the day's midnight UTC, in seconds.
    day_epoch: u64,
    /// `Nov 28` or `Nov  5` (RFC 3164).
    syslog_day: Vec<u8>,
    rng: Rng,
}

impl Fmt {
    /// `date` is a validated `YYYY-MM-DD` from 1970 on.
    fn new(format: Format, date: &str, seed: u64) -> Fmt {
        let day: jiff::civil::Date = date.parse().unwrap();
        let (m, d) = (day.month() as usize, day.day());
        const MONTHS: [&str; 12] = [
            "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
        ];
        Fmt {
            format,
            date: date.as_bytes().to_vec(),
            day_epoch: day
                .to_zoned(jiff::tz::TimeZone::UTC)
                .unwrap()
                .timestamp()
                .as_second()
                .max(0) as u64,
            syslog_day: format!("{} {:>2}", MONTHS[m - 1], d).into_bytes(),
            rng: Rng::new(seed ^ 0xF0F0_5EED_F0F0_5EED),
        }
    }
}

fn push_time(out: &mut Vec<u8>, date: &[u8], ms: u64) {
    out.extend_from_slice(date);
    out.push(b'T');
    push_padded(out, ms / 3_600_000, 2);
    out.push(b':');
    push_padded(out, ms / 60_000 % 60, 2);
    out.push(b':');
    push_padded(out, ms / 1000 % 60, 2);
    out.push(b'.');
    push_padded(out, ms % 1000, 3);
    out.push(b'Z');
}

/// `2026-11-28T13:04:05.123` followed by `suffix` (`+00:00`, `000Z`, ...).
fn push_time_suffix(out: &mut Vec<u8>, date: &[u8], ms: u64, suffix: &[u8]) {
    push_time(out, date, ms);
    out.pop();
    out.extend_from_slice(suffix);
}

/// The instance's host name, `ip-10-0-3-17`.
fn push_host(out: &mut Vec<u8>, inst: u16) {
    out.extend_from_slice(b"ip-10-0-");
    push_u64(out, (inst >> 8) as u64 & 15);
    out.push(b'-');
    push_u64(out, (inst & 0xff) as u64 % 254 + 1);
}

fn pid(inst: u16) -> u64 {
    1000 + (inst as u64 * 7919) % 30_000
}

impl Level {
    fn lower(self) -> &'static [u8] {
        match self {
            Level::Trace => b"trace",
            Level::Debug => b"debug",
            Level::Info => b"info",
            Level::Warn => b"warn",
            Level::Error => b"error",
            Level::Fatal => b"fatal",
        }
    }
    fn upper(self) -> &'static [u8] {
        match self {
            Level::Trace => b"TRACE",
            Level::Debug => b"DEBUG",
            Level::Info => b"INFO",
            Level::Warn => b"WARN",
            Level::Error => b"ERROR",
            Level::Fatal => b"FATAL",
        }
    }
    /// Python logging's spelling (and Google Cloud's severity): WARNING, CRITICAL.
    fn python_upper(self) -> &'static [u8] {
        match self {
            Level::Warn => b"WARNING",
            Level::Fatal => b"CRITICAL",
            l => l.upper(),
        }
    }
    fn python_lower(self) -> &'static [u8] {
        match self {
            Level::Warn => b"warning",
            Level::Fatal => b"critical",
            l => l.lower(),
        }
    }
    /// pino / bunyan numeric level.
    fn pino(self) -> u64 {
        match self {
            Level::Trace => 10,
            Level::Debug => 20,
            Level::Info => 30,
            Level::Warn => 40,
            Level::Error => 50,
            Level::Fatal => 60,
        }
    }
    /// Syslog severity (trace and debug are both 7).
    fn syslog(self) -> u64 {
        match self {
            Level::Trace | Level::Debug => 7,
            Level::Info => 6,
            Level::Warn => 4,
            Level::Error => 3,
            Level::Fatal => 2,
        }
    }
}

/// Escapes `s` for inside a JSON string (also used for quoted logfmt values).
/// Bytes >= 0x80 pass through untouched: invalid UTF-8 stays invalid.
fn push_escaped(out: &mut Vec<u8>, s: &[u8]) {
    let mut start = 0;
    for (i, &b) in s.iter().enumerate() {
        if b >= 0x20 && b != b'"' && b != b'\\' {
            continue;
        }
        out.extend_from_slice(&s[start..i]);
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            _ => {
                out.extend_from_slice(b"\\u00");
                push_hex(out, b as u64, 2, false);
            }
        }
        start = i + 1;
    }
    out.extend_from_slice(&s[start..]);
}

fn push_json_str(out: &mut Vec<u8>, s: &[u8]) {
    out.push(b'"');
    push_escaped(out, s);
    out.push(b'"');
}

/// `,"key":` then the value as a JSON string.
fn json_kv(out: &mut Vec<u8>, key: &[u8], value: &[u8]) {
    out.extend_from_slice(b",\"");
    out.extend_from_slice(key);
    out.extend_from_slice(b"\":");
    push_json_str(out, value);
}

/// A captured field's value: a number or a string.
fn json_value(out: &mut Vec<u8>, f: Field, v: &[u8]) {
    if f.numeric() {
        out.extend_from_slice(v);
    } else {
        push_json_str(out, v);
    }
}

/// `,"name":value` for every captured field not in `skip`.
fn json_fields(out: &mut Vec<u8>, ev: &Event, skip: &[Field]) {
    for c in ev.caps {
        if c.field == Field::TraceId || skip.contains(&c.field) {
            continue;
        }
        out.extend_from_slice(b",\"");
        out.extend_from_slice(c.field.name());
        out.extend_from_slice(b"\":");
        json_value(out, c.field, &ev.msg[c.start as usize..c.end as usize]);
    }
}

const HTTP_FIELDS: &[Field] = &[Field::Method, Field::Status, Field::Path];

/// `,"http":{"method":"GET","status":503,"path":"/..."}` when any of them was captured.
fn json_http(out: &mut Vec<u8>, ev: &Event) {
    let mut first = true;
    for &f in HTTP_FIELDS {
        if let Some(v) = ev.cap(f) {
            out.extend_from_slice(if first { b",\"http\":{\"" } else { b",\"" });
            first = false;
            out.extend_from_slice(f.name());
            out.extend_from_slice(b"\":");
            json_value(out, f, v);
        }
    }
    if !first {
        out.push(b'}');
    }
}

/// The record's trace id: the one its message names (`trace_id=...`), else a
/// new 32-hex-digit one for request-scoped records of traced (non-Python) services.
fn trace_id(fx: &mut Fmt, ev: &Event) -> Option<TraceId> {
    let mut t = TraceId {
        buf: [0; 32],
        len: 0,
    };
    if let Some(v) = ev.cap(Field::TraceId) {
        let n = v.len().min(32);
        t.buf[..n].copy_from_slice(&v[..n]);
        t.len = n;
        return Some(t);
    }
    if SERVICES[ev.svc].lang == Lang::Python || !ev.caps.iter().any(|c| c.field.request()) {
        return None;
    }
    let mut v = Vec::with_capacity(32);
    push_hex(&mut v, fx.rng.next_u64(), 16, false);
    push_hex(&mut v, fx.rng.next_u64(), 16, false);
    t.buf.copy_from_slice(&v);
    t.len = 32;
    Some(t)
}

struct TraceId {
    buf: [u8; 32],
    len: usize,
}

impl std::ops::Deref for TraceId {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        &self.buf[..self.len]
    }
}

fn write_record(fx: &mut Fmt, ev: &Event, out: &mut Vec<u8>) {
    match fx.format {
        Format::Plain => write_plain(&fx.date, ev, out),
        Format::Json => write_json(fx, ev, out),
        Format::Logfmt => write_logfmt(fx, ev, out),
        Format::Syslog => write_syslog(fx, ev, out),
    }
}

fn write_plain(date: &[u8], ev: &Event, out: &mut Vec<u8>) {
    push_time(out, date, ev.ms);
    out.push(b' ');
    out.extend_from_slice(ev.level);
    out.extend_from_slice(b" [");
    out.extend_from_slice(SERVICES[ev.svc].name.as_bytes());
    out.push(b'-');
    push_hex(out, ev.inst as u64, 4, false);
    out.extend_from_slice(b"] ");
    out.extend_from_slice(ev.logger);
    out.extend_from_slice(b" - ");
    out.extend_from_slice(ev.msg);
    out.extend_from_slice(ev.eol);
    out.extend_from_slice(ev.trace);
}

/// JSON lines. Each service logs the way its ecosystem's usual JSON logger does
/// (see the top of this file for the keys); the stack trace is an escaped
/// string field, so every record is one line.
fn write_json(fx: &mut Fmt, ev: &Event, out: &mut Vec<u8>) {
    let svc = SERVICES[ev.svc].name.as_bytes();
    let tid = trace_id(fx, ev);
    let date = &fx.date;
    match ev.svc {
        API => {
            // Node.js, pino + pino-http: numeric level, epoch-ms time, msg last.
            out.extend_from_slice(b"{\"level\":");
            push_u64(out, ev.lv.pino());
            out.extend_from_slice(b",\"time\":");
            push_u64(out, fx.day_epoch * 1000 + ev.ms);
            out.extend_from_slice(b",\"pid\":");
            push_u64(out, pid(ev.inst));
            out.extend_from_slice(b",\"hostname\":\"");
            push_host(out, ev.inst);
            out.extend_from_slice(b"\",\"service\":\"api\"");
            json_kv(out, b"module", ev.logger);
            let (method, path) = (ev.cap(Field::Method), ev.cap(Field::Path));
            if method.is_some() || path.is_some() {
                out.extend_from_slice(b",\"req\":{");
                if let Some(m) = method {
                    out.extend_from_slice(b"\"method\":");
                    push_json_str(out, m);
                }
                if let Some(p) = path {
                    out.extend_from_slice(if method.is_some() {
                        b",\"url\":"
                    } else {
                        b"\"url\":"
                    });
                    push_json_str(out, p);
                }
                out.push(b'}');
            }
            if let Some(s) = ev.cap(Field::Status) {
                out.extend_from_slice(b",\"res\":{\"statusCode\":");
                out.extend_from_slice(s);
                out.push(b'}');
            }
            if let Some(d) = ev.cap(Field::DurationMs) {
                out.extend_from_slice(b",\"responseTime\":");
                out.extend_from_slice(d);
            }
            json_fields(
                out,
                ev,
                &[Field::Method, Field::Path, Field::Status, Field::DurationMs],
            );
            if let Some(t) = &tid {
                json_kv(out, b"trace_id", t);
            }
            if !ev.trace.is_empty() {
                json_kv(out, b"stack", ev.stack());
            }
            json_kv(out, b"msg", ev.msg);
        }
        AUTH => {
            // Java, ecs-logging-java: flat dotted ECS keys.
            out.extend_from_slice(b"{\"@timestamp\":\"");
            push_time(out, date, ev.ms);
            out.extend_from_slice(b"\",\"log.level\":\"");
            out.extend_from_slice(ev.lv.upper());
            out.push(b'"');
            json_kv(out, b"message", ev.msg);
            out.extend_from_slice(b",\"ecs.version\":\"1.2.0\",\"service.name\":\"auth\",\"event.dataset\":\"auth\",\"process.thread.name\":\"http-nio-8080-exec-");
            push_u64(out, fx.rng.range(1, 50));
            out.extend_from_slice(b"\"");
            json_kv(out, b"log.logger", ev.logger);
            out.extend_from_slice(b",\"host.name\":\"");
            push_host(out, ev.inst);
            out.push(b'"');
            json_fields(out, ev, &[]);
            if let Some(t) = &tid {
                json_kv(out, b"trace.id", t);
            }
            if !ev.trace.is_empty() {
                json_kv(out, b"error.stack_trace", ev.stack());
            }
        }
        CHECKOUT => {
            // Java, a hand-rolled JSON layout: ts, level, service, host, logger, msg.
            out.extend_from_slice(b"{\"ts\":\"");
            push_time(out, date, ev.ms);
            out.extend_from_slice(b"\",\"level\":\"");
            out.extend_from_slice(ev.lv.lower());
            out.extend_from_slice(b"\",\"service\":\"checkout\",\"host\":\"");
            push_host(out, ev.inst);
            out.push(b'"');
            json_kv(out, b"logger", ev.logger);
            json_kv(out, b"msg", ev.msg);
            json_fields(out, ev, &[]);
            if let Some(t) = &tid {
                json_kv(out, b"trace_id", t);
            }
            if !ev.trace.is_empty() {
                json_kv(out, b"stack", ev.stack());
            }
        }
        PAYMENTS => {
            // Java: time/message, upper-case level, http fields nested.
            out.extend_from_slice(b"{\"time\":\"");
            push_time(out, date, ev.ms);
            out.extend_from_slice(b"\",\"level\":\"");
            out.extend_from_slice(ev.lv.upper());
            out.push(b'"');
            json_kv(out, b"logger", ev.logger);
            json_kv(out, b"message", ev.msg);
            out.extend_from_slice(b",\"service\":\"payments\",\"host\":\"");
            push_host(out, ev.inst);
            out.push(b'"');
            json_http(out, ev);
            json_fields(out, ev, HTTP_FIELDS);
            if let Some(t) = &tid {
                json_kv(out, b"trace_id", t);
            }
            if !ev.trace.is_empty() {
                json_kv(out, b"stack", ev.stack());
            }
        }
        INVENTORY => {
            // Java on Google Cloud: severity first, time with an offset, http nested.
            out.extend_from_slice(b"{\"severity\":\"");
            out.extend_from_slice(ev.lv.python_upper());
            out.extend_from_slice(b"\",\"time\":\"");
            push_time_suffix(out, date, ev.ms, b"+00:00");
            out.push(b'"');
            json_kv(out, b"message", ev.msg);
            json_kv(out, b"logger", ev.logger);
            out.extend_from_slice(b",\"service\":\"inventory\",\"host\":\"");
            push_host(out, ev.inst);
            out.push(b'"');
            json_http(out, ev);
            json_fields(out, ev, HTTP_FIELDS);
            if let Some(t) = &tid {
                json_kv(out, b"trace_id", t);
            }
            if !ev.trace.is_empty() {
                json_kv(out, b"stack", ev.stack());
            }
        }
        SEARCH => {
            // Go, zap's production encoder: level first, ts in epoch seconds.
            out.extend_from_slice(b"{\"level\":\"");
            out.extend_from_slice(ev.lv.lower());
            out.extend_from_slice(b"\",\"ts\":");
            push_u64(out, fx.day_epoch + ev.ms / 1000);
            out.push(b'.');
            push_padded(out, ev.ms % 1000, 3);
            json_kv(out, b"logger", ev.logger);
            json_kv(out, b"msg", ev.msg);
            out.extend_from_slice(b",\"service\":\"search\",\"host\":\"");
            push_host(out, ev.inst);
            out.push(b'"');
            json_fields(out, ev, &[]);
            if let Some(t) = &tid {
                json_kv(out, b"trace_id", t);
            }
            if !ev.trace.is_empty() {
                json_kv(out, b"stack", ev.stack());
            }
        }
        NOTIFY => {
            // Python, python-json-logger: levelname, name, microsecond timestamp.
            out.extend_from_slice(b"{\"timestamp\":\"");
            push_time_suffix(out, date, ev.ms, b"000+00:00");
            out.extend_from_slice(b"\",\"levelname\":\"");
            out.extend_from_slice(ev.lv.python_upper());
            out.push(b'"');
            json_kv(out, b"name", ev.logger);
            json_kv(out, b"message", ev.msg);
            out.extend_from_slice(b",\"service\":\"notify\",\"hostname\":\"");
            push_host(out, ev.inst);
            out.extend_from_slice(b"\",\"process\":");
            push_u64(out, pid(ev.inst));
            json_fields(out, ev, &[]);
            if !ev.trace.is_empty() {
                json_kv(out, b"exc_info", ev.stack());
            }
        }
        _ => {
            // Python, structlog's JSONRenderer: the message is `event`, the service `app`.
            debug_assert_eq!(svc, b"recs");
            out.extend_from_slice(b"{\"event\":");
            push_json_str(out, ev.msg);
            out.extend_from_slice(b",\"level\":\"");
            out.extend_from_slice(ev.lv.python_lower());
            out.push(b'"');
            json_kv(out, b"logger", ev.logger);
            out.extend_from_slice(b",\"timestamp\":\"");
            push_time_suffix(out, date, ev.ms, b"000Z");
            out.push(b'"');
            json_kv(out, b"app", svc);
            out.extend_from_slice(b",\"host\":\"");
            push_host(out, ev.inst);
            out.push(b'"');
            json_fields(out, ev, &[]);
            if !ev.trace.is_empty() {
                json_kv(out, b"exception", ev.stack());
            }
        }
    }
    out.push(b'}');
    out.extend_from_slice(ev.eol);
}

/// A logfmt value, quoted (and escaped) when go-logfmt would quote it.
fn push_logfmt_value(out: &mut Vec<u8>, v: &[u8]) {
    let quote = v.is_empty()
        || v.iter()
            .any(|&b| b <= b' ' || b == b'=' || b == b'"' || b == b'\\' || b >= 0x7f);
    if quote {
        push_json_str(out, v);
    } else {
        out.extend_from_slice(v);
    }
}

fn logfmt_kv(out: &mut Vec<u8>, key: &[u8], v: &[u8]) {
    out.push(b' ');
    out.extend_from_slice(key);
    out.push(b'=');
    push_logfmt_value(out, v);
}

/// logfmt: `ts= level= service= host= logger= msg=` then the captured fields,
/// `trace_id=` and `stack="...\n\tat ..."` (escaped: one line per record).
/// Go services write `level=` before `ts=`, as go-kit/log does.
fn write_logfmt(fx: &mut Fmt, ev: &Event, out: &mut Vec<u8>) {
    let go = SERVICES[ev.svc].lang == Lang::Go;
    let tid = trace_id(fx, ev);
    if go {
        out.extend_from_slice(b"level=");
        out.extend_from_slice(ev.lv.lower());
        out.extend_from_slice(b" ts=");
        push_time(out, &fx.date, ev.ms);
    } else {
        out.extend_from_slice(b"ts=");
        push_time(out, &fx.date, ev.ms);
        out.extend_from_slice(b" level=");
        out.extend_from_slice(ev.lv.lower());
    }
    logfmt_kv(out, b"service", SERVICES[ev.svc].name.as_bytes());
    out.extend_from_slice(b" host=");
    push_host(out, ev.inst);
    logfmt_kv(out, b"logger", ev.logger);
    logfmt_kv(out, b"msg", ev.msg);
    for c in ev.caps {
        if c.field != Field::TraceId {
            logfmt_kv(
                out,
                c.field.name(),
                &ev.msg[c.start as usize..c.end as usize],
            );
        }
    }
    if let Some(t) = &tid {
        logfmt_kv(out, b"trace_id", t);
    }
    if !ev.trace.is_empty() {
        logfmt_kv(out, b"stack", ev.stack());
    }
    out.extend_from_slice(ev.eol);
}

/// Syslog facility per service: auth logs to authpriv (10), the Python
/// services to local0 (16), the rest to user (1).
fn facility(svc: usize) -> u64 {
    match svc {
        AUTH => 10,
        NOTIFY | RECS => 16,
        _ => 1,
    }
}

fn syslog_header(fx: &Fmt, ev: &Event, out: &mut Vec<u8>) {
    out.push(b'<');
    push_u64(out, facility(ev.svc) * 8 + ev.lv.syslog());
    out.push(b'>');
    out.extend_from_slice(&fx.syslog_day);
    out.push(b' ');
    push_padded(out, ev.ms / 3_600_000, 2);
    out.push(b':');
    push_padded(out, ev.ms / 60_000 % 60, 2);
    out.push(b':');
    push_padded(out, ev.ms / 1000 % 60, 2);
    out.push(b' ');
    push_host(out, ev.inst);
    out.push(b' ');
    out.extend_from_slice(SERVICES[ev.svc].name.as_bytes());
    out.push(b'[');
    push_u64(out, pid(ev.inst));
    out.extend_from_slice(b"]: ");
}

/// RFC 3164 with PRI: `<11>Nov 28 13:04:05 ip-10-0-3-17 checkout[4242]: msg`.
/// A stack trace becomes one syslog line per trace line, each with the
/// record's header, tabs written `#011` as rsyslog escapes them; blank
/// trace lines are dropped.
fn write_syslog(fx: &mut Fmt, ev: &Event, out: &mut Vec<u8>) {
    syslog_header(fx, ev, out);
    out.extend_from_slice(ev.msg);
    out.extend_from_slice(ev.eol);
    for line in ev.stack().split(|&b| b == b'\n') {
        if line.is_empty() {
            continue;
        }
        syslog_header(fx, ev, out);
        for &b in line {
            if b == b'\t' {
                out.extend_from_slice(b"#011");
            } else {
                out.push(b);
            }
        }
        out.push(b'\n');
    }
}

// ---------------------------------------------------------------------------
// Garbage: deterministic positions (fractions of the requested size).

#[derive(Clone, Copy)]
enum Garbage {
    Mojibake,
    RawInvalidUtf8,
    Ansi,
    Crlf,
    LongLine,
    NulBlock,
    /// json only: a record cut short (a writer killed mid-line).
    Truncated,
    /// json only: a line that bypassed the JSON encoder.
    PlainLine,
}

const GARBAGE: &[(f64, Garbage)] = &[
    (0.07, Garbage::Mojibake),
    (0.21, Garbage::Ansi),
    (0.33, Garbage::Crlf),
    (0.52, Garbage::LongLine),
    (0.68, Garbage::RawInvalidUtf8),
    (0.93, Garbage::Mojibake),
    // Late on purpose: GNU grep stops printing at the first match after a NUL
    // ("binary file matches"), so an early NUL block would let it skip work.
    (0.97, Garbage::NulBlock),
];

/// For json: the same, plus truncated records and a non-JSON line.
const GARBAGE_JSON: &[(f64, Garbage)] = &[
    (0.07, Garbage::Mojibake),
    (0.15, Garbage::Truncated),
    (0.21, Garbage::Ansi),
    (0.33, Garbage::Crlf),
    (0.45, Garbage::PlainLine),
    (0.52, Garbage::LongLine),
    (0.68, Garbage::RawInvalidUtf8),
    (0.80, Garbage::Truncated),
    (0.93, Garbage::Mojibake),
    (0.97, Garbage::NulBlock),
];

// ---------------------------------------------------------------------------
// The generator.

struct Options {
    format: Format,
    size: u64,
    seed: u64,
    out: Option<String>,
    date: String,
    from_min: u32,
    to_min: u32,
    spike: Option<u32>,
    clean: bool,
}

struct Gen {
    opts: Options,
    rng: Rng,
    comp: Compiled,
    tpl_msg: Vec<Pattern>,
    tpl_logger: Vec<Pattern>,
    java: Vec<Pattern>,
    python: Vec<Pattern>,
    /// Per level (index into LEVELS): template indices and their Zipf sampler.
    by_level: Vec<(Vec<usize>, Weighted)>,
    level_cum: Vec<(f64, Level)>,
    spike_tpls: Vec<usize>,
    spike_sampler: Weighted,
    instances: Vec<Vec<u16>>,
    fmt: Fmt,
    // reused scratch buffers
    msg: Vec<u8>,
    caps: Vec<Cap>,
    logger: Vec<u8>,
    trace: Vec<u8>,
}

impl Gen {
    fn new(opts: Options) -> Gen {
        let rng = Rng::new(opts.seed);
        let comp = Compiled::new();
        let tpl_msg = TEMPLATES.iter().map(|t| compile(t.msg)).collect();
        let tpl_logger = TEMPLATES.iter().map(|t| compile(t.logger)).collect();
        let java = JAVA_TRACES.iter().map(|s| compile(s)).collect();
        let python = PY_TRACES.iter().map(|s| compile(s)).collect();

        let by_level = LEVELS
            .iter()
            .map(|&lv| {
                let idx: Vec<usize> = (0..TEMPLATES.len())
                    .filter(|&i| TEMPLATES[i].level == lv)
                    .collect();
                let w = Weighted::zipf(idx.len(), 1.1);
                (idx, w)
            })
            .collect();

        let mut level_cum = Vec::new();
        let mut acc = 0.0;
        for (lv, p) in LEVEL_SHARE {
            acc += p;
            level_cum.push((acc, lv));
        }
        level_cum.push((1.0, Level::Info));

        let spike_tpls: Vec<usize> = (0..TEMPLATES.len())
            .filter(|&i| TEMPLATES[i].spike > 0)
            .collect();
        let spike_sampler = Weighted::new(
            &spike_tpls
                .iter()
                .map(|&i| TEMPLATES[i].spike as u64)
                .collect::<Vec<_>>(),
        );

        let instances = SERVICES
            .iter()
            .enumerate()
            .map(|(s, svc)| (0..svc.instances).map(|k| instance_id(s, k)).collect())
            .collect();

        for t in TEMPLATES {
            for &s in t.svcs {
                let lang = SERVICES[s].lang;
                match t.trace {
                    Trace::Java(..) => assert!(
                        lang == Lang::Java,
                        "{:?}: Java trace on a non-Java service",
                        t.msg
                    ),
                    Trace::Python(..) => assert!(
                        lang == Lang::Python,
                        "{:?}: traceback on a non-Python service",
                        t.msg
                    ),
                    Trace::None => {}
                }
            }
        }

        let fmt = Fmt::new(opts.format, &opts.date, opts.seed);
        Gen {
            opts,
            rng,
            fmt,
            comp,
            tpl_msg,
            tpl_logger,
            java,
            python,
            by_level,
            level_cum,
            spike_tpls,
            spike_sampler,
            instances,
            msg: Vec::with_capacity(4096),
            caps: Vec::with_capacity(16),
            logger: Vec::with_capacity(256),
            trace: Vec::with_capacity(16384),
        }
    }

    fn pick_template(&mut self, spike: f64) -> usize {
        if spike > 0.0 && self.rng.f64() < spike * 0.4 {
            // Spike errors: 90% from the three dominant templates, the rest as usual.
            if self.rng.below(10) != 0 {
                return self.spike_tpls[self.spike_sampler.pick(&mut self.rng)];
            }
            let (idx, w) = &self.by_level[4];
            return idx[w.pick(&mut self.rng)];
        }
        let x = self.rng.f64();
        let level = self
            .level_cum
            .iter()
            .find(|(c, _)| x < *c)
            .map(|(_, l)| *l)
            .unwrap_or(Level::Info);
        let li = LEVELS.iter().position(|&l| l == level).unwrap();
        let (idx, w) = &self.by_level[li];
        idx[w.pick(&mut self.rng)]
    }

    /// Renders one normal record into `out`.
    fn record(&mut self, ms: u64, minute: u32, out: &mut Vec<u8>) {
        let spike = spike_intensity(self.opts.spike, minute);
        let ti = self.pick_template(spike);
        let tpl = &TEMPLATES[ti];
        let svc = tpl.svcs[self.rng.below(tpl.svcs.len() as u64) as usize];
        let insts = &self.instances[svc];
        let inst = insts[self.rng.below(insts.len() as u64) as usize];

        self.msg.clear();
        self.caps.clear();
        let caps = match self.fmt.format {
            Format::Json | Format::Logfmt => Some(&mut self.caps),
            Format::Plain | Format::Syslog => None,
        };
        self.comp
            .render_cap(&self.tpl_msg[ti], svc, &mut self.rng, &mut self.msg, caps);
        self.logger.clear();
        self.comp
            .render(&self.tpl_logger[ti], svc, &mut self.rng, &mut self.logger);
        self.trace.clear();
        let trace_pat = match tpl.trace {
            Trace::Java(p, shape) if self.rng.below(100) < p as u64 => {
                let k = shape.unwrap_or_else(|| self.rng.below(self.java.len() as u64) as usize);
                Some(&self.java[k])
            }
            Trace::Python(p, shape) if self.rng.below(100) < p as u64 => {
                // Random shapes come from the task-runner ones (0 and 1).
                let k = shape.unwrap_or_else(|| self.rng.below(2) as usize);
                Some(&self.python[k])
            }
            _ => None,
        };
        if let Some(pat) = trace_pat {
            self.comp.render(pat, svc, &mut self.rng, &mut self.trace);
            self.trace.push(b'\n');
        }
        let ev = Event {
            ms,
            level: tpl.level.padded(),
            lv: tpl.level,
            svc,
            inst,
            logger: &self.logger,
            msg: &self.msg,
            caps: &self.caps,
            trace: &self.trace,
            eol: b"\n",
        };
        write_record(&mut self.fmt, &ev, out);
    }

    fn garbage(&mut self, kind: Garbage, ms: u64, out: &mut Vec<u8>) {
        let inst = self.instances[AUTH][0];
        match kind {
            Garbage::Mojibake => {
                // A latin-1 encoded message in a UTF-8 log: invalid UTF-8 bytes.
                let ev = Event {
                    ms,
                    level: Level::Info.padded(),
                    lv: Level::Info,
                    svc: AUTH,
                    inst,
                    logger: b"auth.ProfileService",
                    msg: b"User profile updated name=\"Jos\xe9 Mar\xeda N\xfa\xf1ez\" city=\"K\xf6ln\" street=\"Stra\xdfe 5\"",
                    caps: &[],
                    trace: b"",
                    eol: b"\n",
                };
                write_record(&mut self.fmt, &ev, out);
            }
            Garbage::RawInvalidUtf8 => {
                // A burst of binary junk (no NUL, no newline) as its own line.
                out.extend_from_slice(b"\xff\xfe\xc3\x28\xa0\xa1\xe2\x28\xa1\xf0\x28\x8c\xbc");
                for _ in 0..64 {
                    let mut b = self.rng.range(1, 255) as u8;
                    if b == b'\n' || b == b'\r' {
                        b = 0x80;
                    }
                    out.push(b);
                }
                out.push(b'\n');
            }
            Garbage::Ansi => {
                let ev = Event {
                    ms,
                    level: b"\x1b[31mERROR\x1b[0m",
                    lv: Level::Error,
                    svc: API,
                    inst: self.instances[API][0],
                    logger: b"http.server",
                    msg: b"\x1b[1mupstream connect error or disconnect/reset before headers\x1b[0m reset reason: connection termination",
                    caps: &[],
                    trace: b"",
                    eol: b"\n",
                };
                write_record(&mut self.fmt, &ev, out);
            }
            Garbage::Crlf => {
                let ev = Event {
                    ms,
                    level: Level::Warn.padded(),
                    lv: Level::Warn,
                    svc: PAYMENTS,
                    inst: self.instances[PAYMENTS][0],
                    logger: b"payments.WebhookController",
                    msg: b"Webhook payload from psp=adyen had Windows line endings, normalising",
                    caps: &[],
                    trace: b"",
                    eol: b"\r\n",
                };
                write_record(&mut self.fmt, &ev, out);
            }
            Garbage::LongLine => {
                // One huge line: a request body dumped into the log.
                let target = if self.opts.size >= 2_000_000 {
                    100_000
                } else {
                    (self.opts.size / 20) as usize
                };
                let mut body = Vec::with_capacity(target + 256);
                body.extend_from_slice(b"Request body: {\"cart_id\":\"");
                render_var(Var::Uuid, CHECKOUT, &mut self.rng, &mut body);
                body.extend_from_slice(b"\",\"items\":[");
                let mut first = true;
                while body.len() + 64 < target {
                    if !first {
                        body.push(b',');
                    }
                    first = false;
                    body.extend_from_slice(b"{\"sku\":\"");
                    render_var(Var::Sku, CHECKOUT, &mut self.rng, &mut body);
                    body.extend_from_slice(b"\",\"qty\":");
                    render_var(Var::NSmall, CHECKOUT, &mut self.rng, &mut body);
                    body.extend_from_slice(b",\"price\":");
                    render_var(Var::Amount, CHECKOUT, &mut self.rng, &mut body);
                    body.push(b'}');
                }
                body.extend_from_slice(b"]}");
                let ev = Event {
                    ms,
                    level: Level::Debug.padded(),
                    lv: Level::Debug,
                    svc: CHECKOUT,
                    inst: self.instances[CHECKOUT][0],
                    logger: b"checkout.web.RequestLoggingFilter",
                    msg: &body,
                    caps: &[],
                    trace: b"",
                    eol: b"\n",
                };
                write_record(&mut self.fmt, &ev, out);
            }
            Garbage::NulBlock => {
                // What a crash with a preallocated log file leaves behind.
                out.extend(std::iter::repeat_n(0u8, 4096));
                out.push(b'\n');
            }
            Garbage::Truncated => {
                // A record cut short: the first 60% of it, no closing brace.
                let ev = Event {
                    ms,
                    level: Level::Info.padded(),
                    lv: Level::Info,
                    svc: CHECKOUT,
                    inst: self.instances[CHECKOUT][0],
                    logger: b"checkout.OrderService",
                    msg: b"Order ORD-31415926 placed by user=alice items=3 total=42.00 EUR",
                    caps: &[],
                    trace: b"",
                    eol: b"\n",
                };
                let start = out.len();
                write_record(&mut self.fmt, &ev, out);
                let len = out.len() - start;
                out.truncate(start + len * 3 / 5);
                out.push(b'\n');
            }
            Garbage::PlainLine => {
                // A library writing to stdout past the JSON encoder.
                let ev = Event {
                    ms,
                    level: Level::Warn.padded(),
                    lv: Level::Warn,
                    svc: INVENTORY,
                    inst: self.instances[INVENTORY][0],
                    logger: b"org.hibernate.orm.deprecation",
                    msg: b"HHH90000025: MySQLDialect does not need to be specified explicitly using 'hibernate.dialect' (remove the property setting and it will be selected by default)",
                    caps: &[],
                    trace: b"",
                    eol: b"\n",
                };
                write_plain(&self.fmt.date, &ev, out);
            }
        }
    }

    fn run(&mut self, w: &mut dyn Write) -> io::Result<()> {
        let size = self.opts.size;
        let mut clock_rng = Rng::new(self.opts.seed ^ 0xC10C_C10C);
        let mut clock = Clock::new(
            self.opts.from_min,
            self.opts.to_min,
            self.opts.spike,
            &mut clock_rng,
        );
        let mut out: Vec<u8> = Vec::with_capacity(2 << 20);
        let mut flushed: u64 = 0;
        let mut next_garbage = 0;
        let garbage: &[(f64, Garbage)] = if self.opts.clean {
            &[]
        } else if self.opts.format == Format::Json {
            GARBAGE_JSON
        } else {
            GARBAGE
        };
        loop {
            let written = flushed + out.len() as u64;
            if written >= size {
                break;
            }
            let frac = written as f64 / size as f64;
            let ms = clock.at(frac);
            if next_garbage < garbage.len() && frac >= garbage[next_garbage].0 {
                let kind = garbage[next_garbage].1;
                next_garbage += 1;
                self.garbage(kind, ms, &mut out);
            } else {
                self.record(ms, clock.minute(), &mut out);
            }
            if out.len() >= 1 << 20 {
                w.write_all(&out)?;
                flushed += out.len() as u64;
                out.clear();
            }
        }
        w.write_all(&out)?;
        w.flush()
    }
}

// ---------------------------------------------------------------------------
// Command line.

fn parse_size(s: &str) -> Result<u64, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(s.len());
    let (num, unit) = s.split_at(split);
    let n: f64 = num.parse().map_err(|_| format!("bad size {s:?}"))?;
    let mult: f64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1.0,
        "k" | "kib" => 1024.0,
        "kb" => 1000.0,
        "m" | "mib" => 1024.0 * 1024.0,
        "mb" => 1e6,
        "g" | "gib" => 1024.0 * 1024.0 * 1024.0,
        "gb" => 1e9,
        _ => {
            return Err(format!(
                "bad size unit in {s:?} (use B, KB, KiB, MB, MiB, GB, GiB)"
            ));
        }
    };
    let bytes = (n * mult).round() as u64;
    if bytes == 0 {
        return Err(format!("size must be positive: {s:?}"));
    }
    Ok(bytes)
}

fn parse_hhmm(s: &str) -> Result<u32, String> {
    let (h, m) = s
        .split_once(':')
        .ok_or_else(|| format!("bad time {s:?}, want HH:MM"))?;
    let h: u32 = h.parse().map_err(|_| format!("bad time {s:?}"))?;
    let m: u32 = m.parse().map_err(|_| format!("bad time {s:?}"))?;
    if m >= 60 || h * 60 + m > 1440 {
        return Err(format!("bad time {s:?}"));
    }
    Ok(h * 60 + m)
}

fn parse_args() -> Result<Options, String> {
    let mut o = Options {
        format: Format::Plain,
        size: 10 << 20,
        seed: 1,
        out: None,
        date: "2026-11-28".to_string(),
        from_min: 0,
        to_min: 1440,
        spike: Some(13 * 60 + 55),
        clean: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let (key, inline) = match arg.split_once('=') {
            Some((k, v)) if k.starts_with("--") => (k.to_string(), Some(v.to_string())),
            _ => (arg.clone(), None),
        };
        let mut value = |name: &str| -> Result<String, String> {
            match &inline {
                Some(v) => Ok(v.clone()),
                None => args.next().ok_or_else(|| format!("{name} needs a value")),
            }
        };
        match key.as_str() {
            "-h" | "--help" => {
                print!("{USAGE}");
                process::exit(0);
            }
            "--format" => {
                let v = value("--format")?;
                o.format = Format::parse(&v).ok_or_else(|| {
                    format!("unknown --format {v:?} (plain, json, logfmt, syslog)")
                })?;
            }
            "--size" => o.size = parse_size(&value("--size")?)?,
            "--seed" => {
                let v = value("--seed")?;
                o.seed = v.parse().map_err(|_| format!("bad --seed {v:?}"))?;
            }
            "--out" => {
                let v = value("--out")?;
                o.out = if v == "-" { None } else { Some(v) };
            }
            "--date" => {
                let v = value("--date")?;
                let b = v.as_bytes();
                let ok = b.len() == 10
                    && b[4] == b'-'
                    && b[7] == b'-'
                    && b.iter()
                        .enumerate()
                        .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
                    && v[0..4] >= *"1970"
                    && (1..=12).contains(&v[5..7].parse::<u32>().unwrap_or(0))
                    && (1..=31).contains(&v[8..10].parse::<u32>().unwrap_or(0));
                if !ok {
                    return Err(format!("bad --date {v:?}, want YYYY-MM-DD (1970 or later)"));
                }
                o.date = v;
            }
            "--from" => o.from_min = parse_hhmm(&value("--from")?)?,
            "--to" => o.to_min = parse_hhmm(&value("--to")?)?,
            "--spike" => {
                let v = value("--spike")?;
                o.spike = if v == "none" {
                    None
                } else {
                    Some(parse_hhmm(&v)?)
                };
            }
            "--clean" => o.clean = true,
            _ => return Err(format!("unknown argument {arg:?}")),
        }
    }
    if o.from_min >= o.to_min {
        return Err("--from must be before --to".to_string());
    }
    Ok(o)
}

fn main() {
    let opts = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("gen: {e}\n\n{USAGE}");
            process::exit(2);
        }
    };
    let out_path = opts.out.clone();
    let mut generator = Gen::new(opts);
    let result = match &out_path {
        Some(p) => match File::create(p) {
            Ok(mut f) => generator.run(&mut f),
            Err(e) => {
                eprintln!("gen: cannot create {p}: {e}");
                process::exit(2);
            }
        },
        None => {
            let stdout = io::stdout();
            let mut lock = stdout.lock();
            generator.run(&mut lock)
        }
    };
    if let Err(e) = result {
        if e.kind() == io::ErrorKind::BrokenPipe {
            process::exit(0);
        }
        eprintln!("gen: write error: {e}");
        process::exit(1);
    }
}

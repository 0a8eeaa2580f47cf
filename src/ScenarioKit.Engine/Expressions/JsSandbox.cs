using System.Collections.Concurrent;
using System.Globalization;
using Jint;
using JsEngine = Jint.Engine;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;

namespace ScenarioKit.Engine.Expressions;

/// <summary>
/// A hardened Jint engine reused for many evaluations. An <see cref="Engine"/> is single-threaded, and
/// building one costs far more than a turn may (≥ 50,000 turns/s: milliseconds, hundreds of intrinsics
/// frozen), so idle sandboxes wait in a pool per <see cref="RuntimeOptions"/>: an evaluation rents one,
/// uses it synchronously and returns it in a clean state:
/// <list type="bullet">
/// <item>every intrinsic (Object, Array.prototype, Math, …) is deep-frozen once at creation, so a
/// script cannot leave a trace in shared built-ins (<c>Object.defineProperty(Object.prototype, …)</c>
/// fails); the global snapshot alone is not an isolation boundary (Jint docs of
/// <c>RestoreGlobalSnapshot</c>);</item>
/// <item>the global bindings are restored from a snapshot taken after that hardening, so values set
/// for one evaluation (variables, <c>event</c>, …) never reach the next;</item>
/// <item>limits (statements, time, memory, recursion, array size, regex time) are checked per
/// evaluation, <c>eval</c> and <c>Function('…')</c> are disabled, there is no CLR interop, and the
/// native stack is guarded so deep recursion is a catchable RangeError, not a process crash.</item>
/// </list>
/// The pool is shared by all threads rather than one sandbox per thread: the server's thread pool adds and
/// retires threads all the time under load, and every new thread used to build its own engine in the middle
/// of a turn (≈ 10 % of a turn's CPU in the profile of docs/performance.md, "Session 5").
/// Date.now() and <c>new Date()</c> read the turn's injected clock, and Math.random throws, so
/// expressions stay deterministic.
/// </summary>
internal sealed class JsSandbox
{
    // Idle sandboxes by options (a server hosting several packages with different limits must not rebuild
    // an engine each time it switches between them). Bounded: past the limits a returned sandbox is dropped.
    static readonly ConcurrentDictionary<RuntimeOptions, Pool> s_pools = new();
    const int MaxPools = 16;
    const int MaxIdlePerPool = 64;

    // The last pool used: nearly every evaluation of a server uses one options instance.
    static Pool? s_last;

    readonly GlobalSnapshot _snapshot;
    readonly CancellationConstraint _cancellation = new();
    readonly SandboxTimeSystem _time = new();

    JsSandbox(RuntimeOptions options)
    {
        Options = options;
        Engine = new JsEngine(o =>
        {
            o.Strict();
            o.DisableStringCompilation();
            o.Interop.Enabled = false;
            o.Culture = CultureInfo.InvariantCulture;
            o.TimeSystem = _time;
            o.TimeoutInterval(options.ExpressionTimeout);
            o.MaxStatements(options.MaxStatements);
            o.LimitMemory(options.MemoryLimitBytes);
            o.LimitRecursion(options.MaxRecursionDepth);
            o.Constraints.MaxArraySize = options.MaxArraySize;
            o.Constraints.RegexTimeout = options.RegexTimeout;
            o.Constraints.StackOverflowGuard = true;
            o.Constraint(_cancellation);
        });
        Harden(Engine);
        _snapshot = Engine.Advanced.CaptureGlobalSnapshot();
    }

    public RuntimeOptions Options { get; }
    public JsEngine Engine { get; }

    /// <summary>An idle sandbox for <paramref name="options"/>, built if none waits. Use it synchronously, then <see cref="Return"/> it.</summary>
    public static JsSandbox Rent(RuntimeOptions options)
    {
        var pool = PoolFor(options);
        return pool.Idle.TryTake(out var sandbox) ? pool.Taken(sandbox) : new JsSandbox(options);
    }

    /// <summary>Cleans the globals and hands the sandbox back for the next evaluation (any thread's); runs in a finally.</summary>
    public void Return()
    {
        Reset();
        var pool = PoolFor(Options);
        if (Interlocked.Increment(ref pool.Count) <= MaxIdlePerPool) pool.Idle.Add(this);
        else Interlocked.Decrement(ref pool.Count);
    }

    static Pool PoolFor(RuntimeOptions options)
    {
        var last = s_last;
        if (last is not null && (ReferenceEquals(last.Options, options) || last.Options.Equals(options))) return last;
        if (!s_pools.TryGetValue(options, out var pool))
        {
            if (s_pools.Count >= MaxPools) s_pools.Clear();
            pool = s_pools.GetOrAdd(options, o => new Pool(o));
        }
        s_last = pool;
        return pool;
    }

    sealed class Pool(RuntimeOptions options)
    {
        public readonly RuntimeOptions Options = options;

        // ConcurrentBag keeps a list per thread: a thread usually takes back the sandbox it returned, without contention.
        public readonly ConcurrentBag<JsSandbox> Idle = [];
        public int Count;

        public JsSandbox Taken(JsSandbox sandbox)
        {
            Interlocked.Decrement(ref Count);
            return sandbox;
        }
    }

    public void Begin(DateTimeOffset now, CancellationToken ct)
    {
        _time.Now = now;
        _cancellation.Token = ct;
    }

    /// <summary>Returns the globals to their hardened state.</summary>
    void Reset()
    {
        _cancellation.Token = default;
        Engine.Advanced.RestoreGlobalSnapshot(_snapshot);
    }

    static void Harden(JsEngine engine)
    {
        var math = (ObjectInstance)engine.Global.Get("Math");
        math.Set("random", engine.Evaluate("(function random() { throw new TypeError('Math.random is not available: scenario outputs must be deterministic'); })"));
        var freeze = ((ObjectInstance)engine.Global.Get("Object")).Get("freeze");
        var seen = new HashSet<ObjectInstance>(ReferenceEqualityComparer.Instance);
        var pending = new Stack<ObjectInstance>();
        foreach (var key in engine.Global.GetOwnPropertyKeys())
        {
            var descriptor = engine.Global.GetOwnProperty(key);
            Push(descriptor.Value);
            Push(descriptor.Get);
            Push(descriptor.Set);
        }
        // Intrinsics no global property leads to: reachable only through values that scripts create.
        foreach (var hidden in HiddenIntrinsics)
        {
            try
            {
                Push(engine.Evaluate(hidden));
            }
            catch (JavaScriptException)
            {
                // Not supported by this Jint version: then scripts cannot reach it either.
            }
        }
        while (pending.Count > 0)
        {
            var o = pending.Pop();
            foreach (var key in o.GetOwnPropertyKeys())
            {
                var descriptor = o.GetOwnProperty(key);
                Push(descriptor.Value);
                Push(descriptor.Get);
                Push(descriptor.Set);
            }
            Push(o.Prototype);
            engine.Invoke(freeze, o);
        }

        void Push(JsValue? value)
        {
            if (value is ObjectInstance o && !ReferenceEquals(o, engine.Global) && seen.Add(o))
                pending.Push(o);
        }
    }

    static readonly string[] HiddenIntrinsics =
    [
        "Object.getPrototypeOf([][Symbol.iterator]())",
        "Object.getPrototypeOf(new Map()[Symbol.iterator]())",
        "Object.getPrototypeOf(new Set()[Symbol.iterator]())",
        "Object.getPrototypeOf(''[Symbol.iterator]())",
        "Object.getPrototypeOf('a'.matchAll(/a/g))",
        "Object.getPrototypeOf(function* () {})",
        "Object.getPrototypeOf(function* () {}())",
        "Object.getPrototypeOf(async function () {})",
        "Object.getPrototypeOf(async function* () {})",
        "Object.getPrototypeOf(async function* () {}())",
        "Object.getPrototypeOf(Int8Array)",
        "Object.getPrototypeOf(Int8Array.prototype)",
        "(function () { 'use strict'; return Object.getOwnPropertyDescriptor(arguments, 'callee').get; })()",
        "Object.getPrototypeOf(Iterator.from([]))",
    ];

    sealed class CancellationConstraint : Constraint
    {
        public CancellationToken Token;

        public override void Check() => Token.ThrowIfCancellationRequested();

        public override void Reset() { }
    }

    sealed class SandboxTimeSystem : DefaultTimeSystem
    {
        public SandboxTimeSystem() : base(TimeZoneInfo.Utc, CultureInfo.InvariantCulture) { }

        public DateTimeOffset Now { get; set; } = DateTimeOffset.UnixEpoch;

        public override DateTimeOffset GetUtcNow() => Now;
    }
}

using System.Globalization;
using System.Runtime.CompilerServices;
using Jint;
using JsEngine = Jint.Engine;
using Jint.Native;
using Jint.Native.Object;
using Jint.Runtime;

namespace ScenarioKit.Engine.Expressions;

/// <summary>
/// A hardened Jint engine reused for many evaluations on one thread. An <see cref="Engine"/> is
/// single-threaded, and building one costs far more than a turn may (≥ 50,000 turns/s), so each
/// thread keeps one per <see cref="RuntimeOptions"/> and returns it to a clean state after every
/// evaluation:
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
/// Date.now() and <c>new Date()</c> read the turn's injected clock, and Math.random throws, so
/// expressions stay deterministic.
/// </summary>
internal sealed class JsSandbox
{
    // Per thread, one sandbox per distinct options (a server hosting several packages with different
    // limits must not rebuild an engine, ~ms, each time it switches between them). Bounded.
    [ThreadStatic] static JsSandbox? t_current;
    [ThreadStatic] static Dictionary<RuntimeOptions, JsSandbox>? t_others;
    const int MaxSandboxesPerThread = 8;

    readonly GlobalSnapshot _snapshot;
    // Script actions' functions, each made once in this engine (see FunctionFor). Weak: a package that is no longer
    // loaded does not stay alive through a thread's sandbox.
    readonly ConditionalWeakTable<object, JsValue> _functions = new();
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

    /// <summary>This thread's sandbox for <paramref name="options"/>. Use it synchronously and call <see cref="Reset"/> when done.</summary>
    public static JsSandbox ForCurrentThread(RuntimeOptions options)
    {
        var sandbox = t_current;
        if (sandbox is not null && (ReferenceEquals(sandbox.Options, options) || sandbox.Options.Equals(options))) return sandbox;
        var others = t_others ??= [];
        if (sandbox is not null)
        {
            if (others.Count >= MaxSandboxesPerThread) others.Clear();
            others[sandbox.Options] = sandbox;
        }
        if (!others.Remove(options, out var found)) found = new JsSandbox(options);
        t_current = found;
        return found;
    }

    /// <summary>
    /// The function a prepared script evaluates to (a script action's body wrapped as a strict anonymous function),
    /// made the first time <paramref name="owner"/> asks in this engine. Making it again per call is all the call
    /// would change: the body cannot reach its own function object (strict mode, no name, no <c>arguments.callee</c>)
    /// and the intrinsics are frozen, so nothing one call does stays in it for the next.
    /// </summary>
    public JsValue FunctionFor(object owner, in Prepared<Acornima.Ast.Script> script)
    {
        if (_functions.TryGetValue(owner, out var function)) return function;
        function = Engine.Evaluate(in script);
        _functions.AddOrUpdate(owner, function);
        return function;
    }

    public void Begin(DateTimeOffset now, CancellationToken ct)
    {
        _time.Now = now;
        _cancellation.Token = ct;
    }

    /// <summary>Returns the globals to their hardened state; runs in a finally after every evaluation.</summary>
    public void Reset()
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

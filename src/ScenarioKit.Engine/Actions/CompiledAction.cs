using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Acornima;
using Jint;
using JsEngine = Jint.Engine;
using Jint.Native;
using Jint.Runtime;
using ScenarioKit.Engine.Expressions;
using ScenarioKit.Model;

namespace ScenarioKit.Engine.Actions;

/// <summary>
/// An action prepared once: HTTP templates (URL, headers, body) evaluated over the call's
/// arguments, or a script function body prepared for the sandbox. Attached to the
/// <see cref="ActionDef"/> instance at package load so any <see cref="IActionInvoker"/> in this
/// assembly finds it without re-parsing.
/// </summary>
internal sealed class CompiledAction
{
    static readonly ConditionalWeakTable<ActionDef, CompiledAction> Table = new();
    static readonly VariableIndex NoVariables = new([]);

    readonly Prepared<Acornima.Ast.Script>? _script;

    CompiledAction(ActionDef def, RuntimeOptions options, List<RuntimeError> errors)
    {
        Def = def;
        Options = options;
        if (def.Http is { } http)
        {
            Url = new CompiledTemplate(http.Url, NoVariables, errors);
            Headers = [.. http.Headers.Select(h => (h.Name, new CompiledTemplate(h.Value, NoVariables, errors)))];
            Body = http.Body is null ? null : new CompiledTemplate(http.Body, NoVariables, errors);
        }
        if (def.Script is { } script)
        {
            // The body becomes a strict function whose parameters are the declared params; it cannot name itself.
            var source = $"(function ({string.Join(", ", script.Parameters)}) {{\n{script.Source}\n}})";
            try
            {
                _script = JsEngine.PrepareScript(source, script.Span.File, strict: true);
            }
            catch (Exception e) when (e is ParseErrorException or JavaScriptException or JintException)
            {
                errors.Add(new RuntimeError($"script action '{def.Name}' does not parse: {e.Message}", script.Span));
            }
        }
        if (def.Http is null && def.Script is null)
            errors.Add(new RuntimeError($"action '{def.Name}' has neither http nor script", def.Span));
    }

    public ActionDef Def { get; }
    public RuntimeOptions Options { get; }
    public CompiledTemplate? Url { get; }
    public (string Name, CompiledTemplate Value)[] Headers { get; } = [];
    public CompiledTemplate? Body { get; }

    public static void Attach(ActionDef def, RuntimeOptions options, List<RuntimeError> errors)
    {
        var compiled = new CompiledAction(def, options, errors);
        Table.AddOrUpdate(def, compiled);
    }

    /// <summary>The prepared action; an action not loaded through a runtime is prepared on first use with default limits.</summary>
    public static CompiledAction For(ActionDef def) =>
        Table.GetValue(def, d => new CompiledAction(d, RuntimeOptions.Default, []));

    /// <summary>A scope where the call's arguments are the variables (HTTP templates say <c>${number}</c>).</summary>
    public static ExpressionScope ArgumentScope(IReadOnlyDictionary<string, JsonNode?> arguments, DateTimeOffset now, CancellationToken ct)
    {
        var variables = new Dictionary<string, JsonNode?>(arguments, StringComparer.Ordinal);
        return new ExpressionScope(new VariableIndex(arguments.Keys), variables) { Now = now, CancellationToken = ct };
    }

    /// <summary>Runs the script in this thread's sandbox; a script error or limit is a failed outcome.</summary>
    public ActionOutcome RunScript(IReadOnlyDictionary<string, JsonNode?> arguments, DateTimeOffset now, CancellationToken ct)
    {
        if (_script is not { } script || Def.Script is null) return ActionOutcome.Failure($"script action '{Def.Name}' could not be prepared");
        var sandbox = JsSandbox.ForCurrentThread(Options);
        var engine = sandbox.Engine;
        sandbox.Begin(now, ct);
        try
        {
            var function = sandbox.FunctionFor(this, in script);
            var parameters = Def.Script.Parameters;
            var args = new JsValue[parameters.Length];
            for (var i = 0; i < args.Length; i++)
                args[i] = arguments.TryGetValue(parameters[i], out var node) ? JsConvert.FromNode(engine, node) : JsValue.Undefined;
            var result = engine.Invoke(function, JsValue.Undefined, args);
            return ActionOutcome.Success(JsConvert.FromJs(result));
        }
        catch (Exception e) when (Sandbox.IsScriptFailure(e, ct))
        {
            return ActionOutcome.Failure($"script action '{Def.Name}' ({Def.Script.Span}) failed: {Sandbox.Describe(e)}");
        }
        finally
        {
            sandbox.Reset();
        }
    }
}

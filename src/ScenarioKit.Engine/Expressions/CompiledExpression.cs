using Acornima;
using Acornima.Ast;
using Jint;
using JsEngine = Jint.Engine;
using Jint.Native;
using Jint.Runtime;
using ScenarioKit.Model;
using Expression = ScenarioKit.Model.Expression;

namespace ScenarioKit.Engine.Expressions;

/// <summary>
/// One scenario expression, prepared once per package: a Jint <see cref="Prepared{T}"/> script
/// (thread-safe, reusable) and, when the expression is a plain path, literal, comparison or
/// logical combination of those, a fast-path tree that evaluates it without Jint.
/// </summary>
internal sealed class CompiledExpression
{
    readonly Prepared<Script> _prepared;
    readonly FastNode? _fast;
    readonly string[] _roots;

    CompiledExpression(Expression source, Prepared<Script> prepared, FastNode? fast, string[] roots)
    {
        Source = source;
        _prepared = prepared;
        _fast = fast;
        _roots = roots;
    }

    public Expression Source { get; }
    public bool HasFastPath => _fast is not null;

    /// <summary>The member chains the expression reads, each with its prefixes longest first (see <see cref="ReadPaths"/>).</summary>
    public MemberPath[][] Reads { get; private init; } = [];

    /// <summary>Prepares an expression; a syntax error (which the compiler should have reported) becomes a load error with the expression's span.</summary>
    public static CompiledExpression Prepare(Expression expression, VariableIndex index, List<RuntimeError> errors)
    {
        Prepared<Script> prepared;
        try
        {
            prepared = JsEngine.PrepareScript(expression.Source, expression.Span.File, strict: true,
                new ScriptPreparationOptions { CollectReferencedGlobals = true });
        }
        catch (Exception e) when (e is ParseErrorException or JavaScriptException or JintException)
        {
            errors.Add(new RuntimeError($"expression `{expression.Source}` does not parse: {e.Message}", expression.Span));
            prepared = JsEngine.PrepareScript("undefined", strict: true);
            return new CompiledExpression(expression, prepared, FastNode.Build(null, index), []);
        }
        var body = prepared.Program!.Body;
        Node? root = body.Count == 1 && body[0] is ExpressionStatement es ? es.Expression : null;
        if (root is null)
            errors.Add(new RuntimeError($"`{expression.Source}` must be one expression", expression.Span));
        var roots = prepared.ReferencedGlobals?.ToArray() ?? [];
        return new CompiledExpression(expression, prepared, FastNode.Build(root, index), roots) { Reads = ReadPaths.Collect(root, index) };
    }

    /// <summary>Evaluates; false with <paramref name="error"/> when the expression failed (the caller falls back).</summary>
    public bool TryEvaluate(ExpressionScope scope, RuntimeOptions options, out Value value, out RuntimeError? error)
    {
        error = null;
        if (TryEvaluateFast(scope, out value)) return true;
        return TryEvaluateWithJint(scope, options, out value, out error);
    }

    /// <summary>The fast path alone: false when there is none or it declines (mixed types, objects…), and Jint must answer.</summary>
    internal bool TryEvaluateFast(ExpressionScope scope, out Value value)
    {
        value = default;
        return _fast is not null && _fast.TryEvaluate(scope, out value);
    }

    internal bool TryEvaluateWithJint(ExpressionScope scope, RuntimeOptions options, out Value value, out RuntimeError? error)
    {
        var sandbox = JsSandbox.ForCurrentThread(options);
        var engine = sandbox.Engine;
        sandbox.Begin(scope.Now, scope.CancellationToken);
        try
        {
            foreach (var root in _roots)
            {
                var js = JsConvert.ScopeRoot(engine, scope, root);
                if (js is not null) engine.SetValue(root, js);
            }
            var result = engine.Evaluate(in _prepared);
            value = JsConvert.ToValue(result);
            error = null;
            return true;
        }
        catch (Exception e) when (Sandbox.IsScriptFailure(e, scope.CancellationToken))
        {
            value = Value.Undefined;
            error = new RuntimeError($"expression `{Source.Source}` failed: {Sandbox.Describe(e)}", Source.Span);
            return false;
        }
        finally
        {
            sandbox.Reset();
        }
    }
}

/// <summary>The one boundary where sandbox failures are recognised and described.</summary>
internal static class Sandbox
{
    /// <summary>
    /// A failure of the script itself (error thrown, limit hit, timeout): it fails one evaluation.
    /// Cancellation of the turn is not one of these and propagates.
    /// </summary>
    public static bool IsScriptFailure(Exception e, CancellationToken ct) => e switch
    {
        OperationCanceledException when ct.IsCancellationRequested => false,
        JintException or JavaScriptException or TimeoutException or ParseErrorException => true,
        // Jint reports some misuse (e.g. a value it cannot convert) with these; never a host bug here
        // because scripts get no CLR objects.
        InvalidOperationException or ArgumentException or OverflowException or InsufficientExecutionStackException => true,
        _ => false,
    };

    public static string Describe(Exception e) => e switch
    {
        JavaScriptException js => js.Message,
        Jint.Runtime.StatementsCountOverflowException => "statement limit reached",
        Jint.Runtime.RecursionDepthOverflowException => "recursion limit reached",
        // Jint reports MaxArraySize with the memory exception; its message is the only thing that tells them apart.
        Jint.Runtime.MemoryLimitExceededException m when m.Message.StartsWith("The array size", StringComparison.Ordinal) => "array size limit reached",
        Jint.Runtime.MemoryLimitExceededException => "memory limit reached",
        System.Text.RegularExpressions.RegexMatchTimeoutException => "regular expression timed out",
        TimeoutException => "time limit reached",
        _ => e.Message,
    };
}

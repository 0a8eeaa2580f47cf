using System.Text.Json.Nodes;
using ScenarioKit.Engine.Expressions;
using ScenarioKit.Model;

namespace ScenarioKit.Engine.Tests.Support;

/// <summary>Evaluates single expressions through the engine's prepared-expression path.</summary>
internal static class Eval
{
    public static readonly RuntimeOptions Options = new RuntimeOptions
    {
        ExpressionTimeout = TimeSpan.FromMilliseconds(300),
        RegexTimeout = TimeSpan.FromMilliseconds(50),
    }.Validate();

    public static ExpressionScope Scope(Dictionary<string, JsonNode?>? variables = null, params string[] declared)
    {
        variables ??= [];
        var index = new VariableIndex(declared.Concat(variables.Keys).Distinct());
        return new ExpressionScope(index, variables)
        {
            Now = new DateTimeOffset(2026, 11, 24, 1, 0, 0, TimeSpan.Zero),
            ConversationId = "c1",
            Turn = 3,
            CancellationToken = TestContext.Current.CancellationToken,
        };
    }

    public static CompiledExpression Compile(string source, ExpressionScope scope)
    {
        var errors = new List<RuntimeError>();
        var compiled = CompiledExpression.Prepare(new Expression(source, new SourceSpan("x.yaml", 7, 9, 7, 30)), scope.Index, errors);
        Assert.Empty(errors);
        return compiled;
    }

    public static (bool Ok, Value Value, RuntimeError? Error) Run(string source, ExpressionScope? scope = null, RuntimeOptions? options = null)
    {
        scope ??= Scope();
        var ok = Compile(source, scope).TryEvaluate(scope, options ?? Options, out var value, out var error);
        return (ok, value, error);
    }

    public static (bool Ok, Value Value, RuntimeError? Error) RunJint(string source, ExpressionScope scope)
    {
        var ok = Compile(source, scope).TryEvaluateWithJint(scope, Options, out var value, out var error);
        return (ok, value, error);
    }
}

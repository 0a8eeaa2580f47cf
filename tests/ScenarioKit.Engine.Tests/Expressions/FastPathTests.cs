using System.Globalization;
using System.Text.Json.Nodes;
using CsCheck;
using ScenarioKit.Engine.Expressions;
using ScenarioKit.Engine.Tests.Support;

namespace ScenarioKit.Engine.Tests.Expressions;

// The fast path must agree with Jint on everything it accepts; it declines everything else.
public sealed class FastPathTests
{
    static ExpressionScope Scope()
    {
        var scope = Eval.Scope(new()
        {
            ["x.n"] = JsonValue.Create(2),
            ["x.f"] = JsonValue.Create(2.5),
            ["x.s"] = JsonValue.Create("b"),
            ["x.e"] = JsonValue.Create(""),
            ["x.b"] = JsonValue.Create(true),
            ["x.nul"] = null,
            ["obj"] = new JsonObject { ["k"] = "v", ["n"] = 3 },
        }, "x.unset");
        scope.HasEvent = true;
        scope.Event = new JsonObject { ["seconds"] = 35, ["path"] = "/products/1" };
        scope.Stage = "checkout";
        scope.FallbackStreak = 2;
        scope.IntentName = "human";
        scope.IntentDigitalFit = "low";
        scope.IntentConfidence = 0.75;
        return scope;
    }

    [Theory]
    [InlineData("x.n")]
    [InlineData("x.unset == null")]
    [InlineData("x.unset === undefined")]
    [InlineData("stage == 'checkout' && x.n >= 2")]
    [InlineData("conversation.fallbackStreak >= 2")]
    [InlineData("intent.digitalFit == 'low'")]
    [InlineData("event.seconds >= 30")]
    [InlineData("!x.b || x.s")]
    [InlineData("x.nul ?? 'default'")]
    [InlineData("x.n > 1 ? 'big' : 'small'")]
    [InlineData("obj.k")]
    public void Simple_expressions_take_the_fast_path(string source)
    {
        var scope = Scope();
        var compiled = Eval.Compile(source, scope);
        Assert.True(compiled.HasFastPath);
        AssertSame(source, scope);
    }

    [Theory]
    [InlineData("'1' == 1")]
    [InlineData("x.s + '!'")]
    [InlineData("event.path.startsWith('/products')")]
    [InlineData("x.s.length")]
    [InlineData("obj == obj")]
    public void Outside_the_fast_path_the_result_is_still_javascript(string source) => AssertSame(source, Scope());

    [Fact]
    public void Unset_variables_under_a_declared_root_are_undefined_in_both_paths()
    {
        var scope = Eval.Scope([], "order.number", "order.status");
        Assert.True(Eval.Run("order.status == null", scope).Value.IsTruthy);
        Assert.True(Eval.RunJint("order.status == null", scope).Value.IsTruthy);
    }

    static readonly string[] Leaves =
    [
        "x.n", "x.f", "x.s", "x.e", "x.b", "x.nul", "x.unset", "event.seconds", "stage", "conversation.fallbackStreak",
        "intent.confidence", "0", "1", "2", "2.5", "-3", "'a'", "'b'", "''", "true", "false", "null", "undefined",
    ];

    static readonly string[] Operators = ["==", "!=", "===", "!==", "<", "<=", ">", ">=", "&&", "||", "??"];

    static Gen<string> Expression(int depth) => depth == 0
        ? Gen.OneOf(Leaves)
        : Gen.Frequency(
            (3, Gen.OneOf(Leaves)),
            (4, Gen.Select(Expression(depth - 1), Gen.OneOf(Operators), Expression(depth - 1), (l, op, r) => $"({l} {op} {r})")),
            (1, Expression(depth - 1).Select(e => $"!{e}")),
            (1, Gen.Select(Expression(depth - 1), Expression(depth - 1), Expression(depth - 1), (a, b, c) => $"({a} ? {b} : {c})")));

    [Fact]
    public void Random_expressions_agree_with_jint() =>
        Expression(3).Sample(source => AssertSame(source, Scope()), iter: 400);

    [Fact]
    public void Number_formatting_matches_javascript()
    {
        Gen.Double.Where(double.IsFinite).Sample(d =>
        {
            var scope = Eval.Scope(new() { ["v.d"] = JsonValue.Create(d) });
            var jint = Eval.RunJint("String(v.d)", scope).Value.Text;
            Assert.Equal(jint, Value.Of(d).ToString());
        }, iter: 300);
        foreach (var d in new[] { 1e21, 1e-7, 123456789012345680000d, 0.000001, -0.5, 1.5e300, 5e-324, 100, 1e15, 1e16 })
        {
            var scope = Eval.Scope(new() { ["v.d"] = JsonValue.Create(d) });
            Assert.Equal(Eval.RunJint("String(v.d)", scope).Value.Text, Value.Of(d).ToString());
        }
        _ = CultureInfo.InvariantCulture;
    }

    static void AssertSame(string source, ExpressionScope scope)
    {
        var fast = Eval.Run(source, scope);
        var jint = Eval.RunJint(source, scope);
        Assert.True(fast.Ok == jint.Ok, $"{source}: fast ok={fast.Ok} jint ok={jint.Ok} {jint.Error}");
        if (!fast.Ok) return;
        Assert.True(fast.Value.Kind == jint.Value.Kind, $"{source}: fast {fast.Value.Kind} jint {jint.Value.Kind}");
        switch (fast.Value.Kind)
        {
            case ValueKind.Number:
                Assert.True(fast.Value.Number.Equals(jint.Value.Number), $"{source}: {fast.Value.Number} vs {jint.Value.Number}");
                break;
            case ValueKind.Boolean:
            case ValueKind.String:
                Assert.True(fast.Value.ToString() == jint.Value.ToString(), $"{source}: {fast.Value} vs {jint.Value}");
                break;
            case ValueKind.Node:
                Assert.Equal(jint.Value.Node!.ToJsonString(), fast.Value.Node!.ToJsonString());
                break;
        }
    }
}

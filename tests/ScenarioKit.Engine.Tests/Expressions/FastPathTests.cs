using System.Globalization;
using System.Text.Json.Nodes;
using CsCheck;
using ScenarioKit.Engine.Expressions;
using ScenarioKit.Engine.Tests.Support;

namespace ScenarioKit.Engine.Tests.Expressions;

// The fast path must agree with Jint on everything it accepts; it declines everything else. Issue 10 item 11:
// the fast path's own answer is compared with Jint's (not the engine's combined answer, which falls back to
// Jint), and the tests check which expressions took the fast path.
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
        Assert.True(Eval.Compile(source, scope).HasFastPath);
        Assert.True(FastAgreesWithJint(source, scope), $"{source}: the fast path declined");
    }

    [Theory]
    [InlineData("'1' == 1")]
    [InlineData("x.s + '!'")]
    [InlineData("event.path.startsWith('/products')")]
    [InlineData("x.s.length")]
    [InlineData("obj == obj")]
    [InlineData("x.n == 'b'")]
    [InlineData("x.b < 1")]
    [InlineData("x.unset < 1")]
    public void Outside_the_fast_path_the_fast_path_declines_and_jint_answers(string source)
    {
        var scope = Scope();

        Assert.False(Eval.Compile(source, scope).TryEvaluateFast(scope, out var fast), $"{source}: the fast path answered {fast}");
        AssertSameValue(source, Eval.Run(source, scope), Eval.RunJint(source, scope));
    }

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
    public void Random_expressions_agree_with_jint_whenever_the_fast_path_answers()
    {
        var fast = 0;
        Expression(3).Sample(source =>
        {
            if (FastAgreesWithJint(source, Scope())) Interlocked.Increment(ref fast);
        }, iter: 400);
        // Mixed-type comparisons decline by design; most samples still exercise the fast path.
        Assert.True(fast >= 100, $"only {fast} of 400 samples took the fast path");
    }

    static readonly string[] NumberLeaves = ["x.n", "x.f", "event.seconds", "conversation.fallbackStreak", "intent.confidence", "0", "1", "2", "2.5"];

    static readonly string[] TextLeaves = ["x.s", "x.e", "stage", "'a'", "'b'", "''"];

    static readonly string[] AnyLeaves = [.. NumberLeaves, .. TextLeaves, "x.b", "x.nul", "x.unset", "true", "false", "null", "undefined"];

    // Expressions the fast path is meant to take: comparisons of same-typed operands, nullish checks,
    // logic, negation and conditionals over anything.
    static Gen<string> Typed(int depth) => depth == 0
        ? Gen.OneOf(AnyLeaves)
        : Gen.Frequency(
            (2, Gen.OneOf(AnyLeaves)),
            (2, Gen.Select(Gen.OneOf(NumberLeaves), Gen.OneOf(Operators[..8]), Gen.OneOf(NumberLeaves), (l, op, r) => $"({l} {op} {r})")),
            (2, Gen.Select(Gen.OneOf(TextLeaves), Gen.OneOf(Operators[..8]), Gen.OneOf(TextLeaves), (l, op, r) => $"({l} {op} {r})")),
            (1, Gen.Select(Gen.OneOf(AnyLeaves), Gen.OneOf("== null", "!= null", "=== undefined", "!== null"), (l, test) => $"({l} {test})")),
            (3, Gen.Select(Typed(depth - 1), Gen.OneOf("&&", "||", "??"), Typed(depth - 1), (l, op, r) => $"({l} {op} {r})")),
            (1, Typed(depth - 1).Select(e => $"!{e}")),
            (1, Gen.Select(Typed(depth - 1), Typed(depth - 1), Typed(depth - 1), (a, b, c) => $"({a} ? {b} : {c})")));

    [Fact]
    public void Random_same_typed_expressions_all_take_the_fast_path_and_agree_with_jint() =>
        Typed(3).Sample(source => Assert.True(FastAgreesWithJint(source, Scope()), $"{source}: the fast path declined"), iter: 400);

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

    /// <summary>
    /// Evaluates with the fast path alone and with Jint alone; when the fast path answers, its answer must be
    /// Jint's. Returns whether the fast path answered.
    /// </summary>
    static bool FastAgreesWithJint(string source, ExpressionScope scope)
    {
        if (!Eval.Compile(source, scope).TryEvaluateFast(scope, out var fast)) return false;
        AssertSameValue(source, (true, fast, null), Eval.RunJint(source, scope));
        return true;
    }

    static void AssertSameValue(string source, (bool Ok, Value Value, RuntimeError? Error) fast, (bool Ok, Value Value, RuntimeError? Error) jint)
    {
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

using System.Text.Json.Nodes;
using ScenarioKit.Engine.Tests.Support;
using ScenarioKit.Model;
using static ScenarioKit.Engine.Tests.Support.B;

namespace ScenarioKit.Engine.Tests.Runtime;

public sealed class FlowTests
{
    static ScenarioModel With(params FlowDef[] flows) => Scenario() with
    {
        Fallback = M("fallback"),
        Variables = [Var("n", VariableType.Integer, 0), Var("s"), Var("cart.total", VariableType.Number, 0), Var("ok", VariableType.Boolean)],
        Journey = [Stage("browsing"), Stage("after_purchase")],
        Intents = [.. flows.Select(f => Intent(f.Name, patterns: [$"^{f.Name}$"]))],
        Flows = [.. flows.Select(f => f.Trigger is null ? f with { Trigger = new FlowTrigger(f.Name, null, Span()) } : f)],
    };

    [Fact]
    public void Set_keeps_the_type_of_a_single_hole_and_makes_text_otherwise()
    {
        var chat = new Chat(Load(With(Flow("go", null,
            SetLiteral("go/0", "n", 41),
            Set("go/1", "cart.total", "${n + 1}"),
            Set("go/2", "s", "total: ${cart.total}"),
            Say("go/3", "${s} (${typeof cart.total})")))));
        Assert.Equal(["total: 42 (number)"], chat.Reply("go"));
        Assert.Equal(42, chat.State.Variables["cart.total"]!.GetValue<int>());
    }

    [Fact]
    public void If_else_and_goto_stage()
    {
        var chat = new Chat(Load(With(Flow("go", null,
            If("go/0", "cart.total > 100", [Say("go/0/then/0", "big")], [Say("go/0/else/0", "small")]),
            Goto("go/1", stage: "after_purchase"),
            Say("go/2", "stage ${stage}")))));
        Assert.Equal(["small", "stage after_purchase"], chat.Reply("go"));
        Assert.Equal("after_purchase", chat.State.Stage);
    }

    [Fact]
    public void Goto_flow_continues_in_the_other_flow_and_end_stops()
    {
        var chat = new Chat(Load(With(
            Flow("one", null, Say("one/0", "in one"), Goto("one/1", flow: "two"), Say("one/2", "never")),
            Flow("two", null, Say("two/0", "in two"), End("two/1", "bye"), Say("two/2", "never")))));
        var result = chat.User("one");
        Assert.Equal(["in one", "in two", "bye"], Chat.Texts(result));
        Assert.Equal(["one", "two"], result.Trace.FlowsStarted);
    }

    [Fact]
    public void Flow_loop_without_input_is_stopped_by_the_step_limit()
    {
        var chat = new Chat(Load(With(Flow("loop", null, Goto("loop/0", flow: "loop"))), new RuntimeOptions { MaxStepsPerTurn = 50 }));
        var result = chat.User("loop");
        Assert.Contains(result.Trace.Errors, e => e.Message.Contains("more than 50 steps", StringComparison.Ordinal));
        Assert.Equal(["fallback"], Chat.Texts(result));
    }

    [Fact]
    public void Failing_expression_in_a_flow_falls_back_with_its_span_and_the_next_turn_works()
    {
        var model = With(
            Flow("bad", null, Say("bad/0", "before"), If("bad/1", "(() => { while (true) {} })()", [Say("bad/1/then/0", "never")])),
            Flow("good", null, Say("good/0", "fine")));
        var runtime = Load(model);
        var chat = new Chat(runtime);
        var result = chat.User("bad");
        Assert.Equal(["before", "fallback"], Chat.Texts(result));
        var error = Assert.Single(result.Trace.Errors);
        Assert.Equal(((IfStep)model.Flows[0].Steps[1]).Condition.Span, error.Span);
        Assert.Equal(0, chat.State.FallbackStreak);
        Assert.Equal(["fine"], chat.Reply("good"));
        Assert.Equal(["fine"], new Chat(runtime, conversationId: "other").Reply("good"));
    }

    [Fact]
    public void Ask_exposes_attempts_in_retry_and_gives_up_into_onFail()
    {
        var chat = new Chat(Load(With(Flow("age", null,
            Ask("age/0", "n", "How old are you?", Expect(ExpectKind.Integer, min: 0, max: 130),
                "attempt ${ask.attempt} of ${ask.maxRetries}, ${ask.retriesLeft} left", 3, Say("age/0/onFail/0", "never mind")),
            Say("age/1", "you are ${n}")))));
        Assert.Equal(["How old are you?"], chat.Reply("age"));
        Assert.Equal(["attempt 1 of 2, 2 left"], chat.Reply("old"));
        Assert.Equal(["you are 42"], chat.Reply("４２"));
        chat.User("age");
        chat.User("x");
        Assert.Equal(["attempt 2 of 2, 1 left"], chat.Reply("200"));
        Assert.Equal(["never mind"], chat.Reply("y"));
        Assert.Null(chat.State.ActiveFlow);
    }

    [Fact]
    public void Call_failure_takes_onError_or_continues_with_the_variable_unset()
    {
        var failing = new MockActionInvoker(new Dictionary<string, ActionOutcome> { ["lookup"] = ActionOutcome.Failure("503") });
        var model = With(
            Flow("withError", null, Call("withError/0", "lookup", "s", [], Say("withError/0/onError/0", "cannot check now")), Say("withError/1", "never")),
            Flow("without", null, SetLiteral("without/0", "s", "old"), Call("without/1", "lookup", "s", []), Say("without/2", "s is ${s ?? 'unset'}"))) with
        {
            Actions = [Script("lookup", [], "return 1;")],
        };
        var chat = new Chat(Load(model), failing);
        var result = chat.User("withError");
        Assert.Equal(["cannot check now"], Chat.Texts(result));
        Assert.Contains(result.Trace.Errors, e => e.Message == "503");
        Assert.Equal(["s is unset"], chat.Reply("without"));
    }

    [Fact]
    public void Script_action_errors_become_call_errors()
    {
        var model = With(Flow("go", null, Call("go/0", "explode", "s", [("x", "${n}")], Say("go/0/onError/0", "oops")))) with
        {
            Actions = [Script("explode", ["x"], "while (true) {}")],
        };
        var chat = new Chat(Load(model), new DefaultActionInvoker(new HttpClient(), TimeProvider.System));
        var result = chat.User("go");
        Assert.Equal(["oops"], Chat.Texts(result));
        Assert.Contains(result.Trace.Errors, e => e.Message.Contains("statement limit", StringComparison.Ordinal));
    }

    [Fact]
    public void Script_action_receives_typed_arguments()
    {
        var model = With(Flow("go", null, SetLiteral("go/0", "n", 20), Call("go/1", "double", "cart.total", [("x", "${n}"), ("label", "n=${n}")]), Say("go/2", "${cart.total}"))) with
        {
            Actions = [Script("double", ["x", "label"], "return typeof x === 'number' && label === 'n=20' ? x * 2 : -1;")],
        };
        var chat = new Chat(Load(model), new DefaultActionInvoker(new HttpClient(), TimeProvider.System));
        Assert.Equal(["40"], chat.Reply("go"));
        _ = JsonValue.Create(1);
    }

    [Fact]
    public void A_script_action_called_again_starts_from_nothing()
    {
        // The sandbox makes an action's function once per engine; whatever a call leaves behind must not reach the next.
        var model = With(Flow("go", null, Call("go/0", "count", "n", [("x", "${n}")]), Say("go/1", "${n}"))) with
        {
            Actions = [Script("count", ["x"], "globalThis.calls = (globalThis.calls ?? 0) + 1; const before = typeof x === 'number' ? x : 0; return before * 10 + calls;")],
        };
        var chat = new Chat(Load(model), new DefaultActionInvoker(new HttpClient(), TimeProvider.System));
        Assert.Equal(["1"], chat.Reply("go"));
        Assert.Equal(["11"], chat.Reply("go"));
        Assert.Equal(["111"], chat.Reply("go"));
    }
}

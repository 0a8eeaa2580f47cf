using ScenarioKit.Testing.Results;
using TestResult = ScenarioKit.Testing.Results.TestResult;
using ScenarioKit.Testing.Tests.Support;

namespace ScenarioKit.Testing.Tests.Running;

/// <summary>
/// The agent hub steps (issue 9): <c>queue</c>, <c>wait</c> past a queue's maxWait, <c>agent</c>
/// accept/say/return/resolve and <c>ticket</c>, passing (Fixtures/hub), failing at the right place with
/// expected and actual (Fixtures/Failing/hub.yaml), and refused before running (Fixtures/Invalid/hub.yaml).
/// </summary>
public class HubStepsTests
{
    static readonly string HubSuite = Paths.Fixture("hub", "tests", "hub.test.yaml");

    static async Task<TestResult> FailingAsync(string name)
    {
        var report = await ScenarioTestRunnerTests.Run(Paths.Fixture("Failing", "hub.yaml"));
        var test = Assert.Single(report.Suites.Single().Tests, t => t.Name == name);
        Assert.Equal(TestOutcome.Failed, test.Outcome);
        return test;
    }

    static void AssertFailure(TestResult test, int line, int column, string message, string expected, string actual)
    {
        var f = test.Failure!;
        Assert.Equal("hub.yaml", Path.GetFileName(f.Location.File));
        Assert.Equal((line, column), (f.Location.Line, f.Location.Column));
        Assert.Equal(message, f.Message);
        Assert.Equal(expected, f.Expected);
        Assert.Equal(actual, f.Actual);
    }

    [Fact]
    public async Task Queue_wait_agent_and_ticket_steps_pass_against_a_scenario_that_does_what_they_say()
    {
        var report = await ScenarioTestRunnerTests.Run(HubSuite);

        Assert.True(report.Failed == 0 && report.Errors == 0, ScenarioTestRunnerTests.Describe(report));
        Assert.Equal(3, report.Passed);
    }

    [Fact]
    public async Task A_queue_step_sets_the_position_and_wait_of_the_waiting_notice()
    {
        var test = await FailingAsync("the queue step sets the position the waiting notice shows");

        AssertFailure(test, 10, 9, "the bot's message (message 2 of 2) does not match", "ただいま3番目です（約5分）。", "ただいま2番目です（約5分）。");
        Assert.Contains("queue: {position: 2, wait: 5m, agentsOnline: 1}", test.Failure!.Conversation);
    }

    [Fact]
    public async Task A_wait_shorter_than_max_wait_leaves_the_customer_waiting()
    {
        var test = await FailingAsync("a wait shorter than maxWait does not time out");

        AssertFailure(test, 18, 9, "expected a bot message, but the bot sent no more", "ただいま担当者が対応できません。",
            "(no more messages; this turn sent: 担当者におつなぎします。 / ただいま1番目です（約2分）。)");
        Assert.Equal("wait: 9m", test.Failure!.Conversation[^1]);
    }

    [Fact]
    public async Task A_wait_past_max_wait_delivers_the_on_timeout_answer_as_the_next_bot_message()
    {
        var test = await FailingAsync("the onTimeout answer is not what the test expects");

        AssertFailure(test, 26, 9, "the bot's message does not match", "申し訳ございません。", "ただいま担当者が対応できません。");
        Assert.Equal(["wait: 11m", "hub: nobody accepted within 10m (timeout)", "bot:  ただいま担当者が対応できません。  [callback]"], test.Failure!.Conversation[^3..]);
    }

    [Fact]
    public async Task Nobody_online_makes_the_handoff_unattended()
    {
        var test = await FailingAsync("nobody online is not an attended handoff");

        AssertFailure(test, 32, 9, "no agent was online (the onTimeout path was taken)", "unattended: false", "unattended: true");
    }

    [Fact]
    public async Task An_agent_step_without_a_handoff_fails_where_it_is_written()
    {
        AssertFailure(await FailingAsync("an agent cannot accept without a handoff"), 38, 9,
            "no conversation is waiting for an agent", "a handoff before 'agent: accept'", "(the bot has the conversation)");
        var say = await FailingAsync("an agent cannot write without a handoff");
        AssertFailure(say, 42, 9, "the agent wrote while the bot had the conversation", "a handoff before 'agent: { say }'", "(the bot has the conversation)");
        Assert.Equal(["agent message while the bot has the conversation: ignored"], say.RuntimeErrors);
        AssertFailure(await FailingAsync("an agent cannot return a conversation the bot has"), 46, 9,
            "no conversation is with an agent", "a handoff before the agent ends it", "(the bot has the conversation)");
    }

    [Fact]
    public async Task A_return_runs_the_named_flow_with_the_values_the_agent_set()
    {
        var test = await FailingAsync("the flow the agent returns into says something else");

        AssertFailure(test, 54, 9, "the bot's message (message 1 of 2) does not match", "返品の件は以上です。", "交換の件は以上です。");
        Assert.Contains("agent: (returns to the bot into csat)", test.Failure!.Conversation);
    }

    [Fact]
    public async Task A_ticket_step_fails_when_the_last_turn_recorded_none()
    {
        var test = await FailingAsync("a ticket that was not recorded");

        AssertFailure(test, 61, 9, "expected a ticket in the last turn, but there was none", "ticket: {kind: callback}", "(no ticket)");
    }

    [Fact]
    public async Task A_ticket_step_shows_every_ticket_of_the_turn_when_none_matches()
    {
        var test = await FailingAsync("a ticket with another contact");

        Assert.Matches(@"^callback CB-[2-9A-HJ-NP-Z]{5} contact=09012345678 time=午前 note=担当者不在のため queue=support$", test.Failure!.Actual);
        AssertFailure(test, 68, 9, "no ticket of the last turn matches", "ticket: {kind: callback, contact: 08011112222}", test.Failure.Actual);
    }

    [Fact]
    public async Task Hub_steps_naming_what_the_scenario_lacks_or_shaped_wrong_are_reported_before_anything_runs()
    {
        var report = await ScenarioTestRunnerTests.Run(Paths.Fixture("Invalid", "hub.yaml"));

        var suite = Assert.Single(report.Suites);
        Assert.Empty(suite.Tests);
        Assert.Equal(
        [
            ("SK5106", 7, 34),   // unknown flow in return
            ("SK5109", 7, 64),   // wrong type in set
            ("SK5103", 7, 70),   // unknown variable in set
            ("SK5105", 8, 42),   // unknown queue in ticket
            ("SK5005", 12, 28),  // queue position 0
            ("SK5005", 12, 37),  // queue wait not a duration
            ("SK5005", 12, 57),  // agentsOnline negative
            ("SK5005", 13, 16),  // agent: takeover
            ("SK5005", 14, 16),  // agent with say and return
            ("SK5005", 15, 25),  // ticket kind fax
            ("SK5004", 15, 30),  // ticket key phone
        ], suite.Diagnostics.Select(d => (d.Id, d.Span.Line, d.Span.Column)));
        Assert.All(suite.Diagnostics, d => Assert.True(d.IsError, d.ToString()));
    }
}

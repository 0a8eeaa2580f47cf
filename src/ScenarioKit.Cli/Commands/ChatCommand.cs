using System.CommandLine;
using System.Globalization;
using System.Text.Json.Nodes;
using ScenarioKit.Cli.Chat;
using ScenarioKit.Cli.Console;
using ScenarioKit.Engine;
using ScenarioKit.Model;

namespace ScenarioKit.Cli.Commands;

internal static class ChatCommand
{
    public static Command Create(CliContext context)
    {
        var scenario = new Argument<string>("scenario")
        {
            Description = "A scenario folder, a scenario .yaml file, or a built .skpkg package.",
        };
        var mocks = MockOptions.Values();
        var mocksFile = MockOptions.File();
        var clock = new Option<string?>("--clock")
        {
            Description = "Start the conversation clock at this ISO-8601 instant (e.g. 2026-11-28T10:00:00+09:00; UTC when no offset) to try queue hours; it then runs at normal speed.",
            HelpName = "time",
        };

        var agentsOnline = new Option<int>("--agents-online")
        {
            Description = "Agents the simulated agent hub reports online for every queue (default 1); 0 tries the no-agent path (handoff.onTimeout at once).",
            DefaultValueFactory = _ => 1,
            HelpName = "n",
        };
        agentsOnline.Validators.Add(r =>
        {
            // Read the token, not the value: GetValueOrDefault throws on text that is no number, which the parser reports itself.
            if (r.Tokens.Count > 0 && int.TryParse(r.Tokens[^1].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && n < 0)
                r.AddError("--agents-online must be 0 or more.");
        });
        var language = ScenarioCompilation.LanguageOption();
        language.Description = "Language of /explain and of the reasons a /handback is refused: en or ja (default: the system language, e.g. LANG=ja_JP.UTF-8).";

        var command = new Command("chat", "Talk to a scenario in the terminal: bot messages, numbered suggested replies, /event to send journey events, /state, /reset, /quit; handoffs land in a simulated agent hub (/accept, /agent, /timeout, /wait, /handback). With redirected input, reads one line per turn and prints plain you:/bot:/agent:/hub:/ticket: lines.")
        {
            scenario, mocks, mocksFile, clock, agentsOnline, language,
        };
        HelpExamples.Set(command,
            "scenariokit chat scenarios/retail-support",
            "scenariokit chat out/shop-support-0.1.0.skpkg --mock lookupOrder=発送済み --clock 2026-11-28T10:00:00+09:00",
            "printf 'hello\\nwhere is my order\\n12345678\\n' | scenariokit chat scenarios/reference-support",
            "printf 'talk to a person\\n/wait 11m\\n' | scenariokit chat scenarios/reference-support",
            "scenariokit chat scenarios/retail-support --agents-online 0 --lang ja");

        command.SetAction((result, ct) => CommandGuard.RunAsync(context, async () =>
        {
            DateTimeOffset? start = null;
            if (result.GetValue(clock) is { } clockText)
            {
                if (!DateTimeOffset.TryParse(clockText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                    return CommandGuard.Usage(context, $"--clock '{clockText}' is not an ISO-8601 date and time, e.g. 2026-11-28T10:00:00+09:00.");
                start = parsed;
            }

            var (package, displayRoot, exitCode) = ScenarioLoader.LoadWithRoot(context, result.GetRequiredValue(scenario), result.InvocationConfiguration.Error);
            if (package is null)
                return exitCode;

            var mocked = MockOptions.Read(context, result.GetValue(mocks) ?? [], result.GetValue(mocksFile), out var mockExit);
            if (mocked is null)
                return mockExit;
            if (UnknownAction(package.Model, mocked.Actions) is { } unknown)
                return CommandGuard.Usage(context, unknown);

            ScenarioRuntime runtime;
            try
            {
                runtime = ScenarioRuntime.Load(package);
            }
            catch (ScenarioLoadException e)
            {
                foreach (var error in e.Errors)
                    CommandGuard.Fail(context, ChatText.Describe(error, displayRoot));
                return ExitCodes.Failed;
            }

            var time = new OffsetTimeProvider(start ?? TimeProvider.System.GetUtcNow(), TimeProvider.System);
            using var http = new HttpClient();
            IActionInvoker actions = new DefaultActionInvoker(http, time);
            actions = mocked.Wrap(actions, time, MockOptions.PrintProblem(context));

            IChatView view = context.InputIsTerminal ? new TerminalChatView(context.Out, displayRoot) : new PlainChatView(context.Out, context.Error, displayRoot);
            view.Intro(package.Manifest, mocked.Actions, start);
            var hub = new ChatHub(result.GetValue(agentsOnline));
            var session = new ChatSession(runtime, actions, view, hub, time,
                result.GetValue(language) ?? Language.CompileOptions.Default.Language);
            await session.RunAsync(context.Input, echo: !context.InputIsTerminal, ct);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Why a mock names no action of the scenario, or null when every one does.</summary>
    static string? UnknownAction(ScenarioModel model, IEnumerable<string> mocked)
    {
        if (mocked.FirstOrDefault(m => !model.Actions.Any(a => a.Name == m)) is not { } action) return null;
        var known = model.Actions.IsDefaultOrEmpty ? "the scenario has no actions" : "its actions are " + string.Join(", ", model.Actions.Select(a => a.Name));
        return $"--mock: the scenario has no action '{action}'; {known}.";
    }
}

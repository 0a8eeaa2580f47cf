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
        var mocks = new Option<string[]>("--mock", "-m")
        {
            Description = "Answer an action with a value instead of running it: action=value (JSON when it parses as JSON, otherwise text). Repeatable.",
            AllowMultipleArgumentsPerToken = false,
            HelpName = "action=value",
        };
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
        language.Description = "Language of the chat's explanations of a refused /handback: en or ja (default: the system language, e.g. LANG=ja_JP.UTF-8).";

        var command = new Command("chat", "Talk to a scenario in the terminal: bot messages, numbered suggested replies, /event to send journey events, /state, /reset, /quit; handoffs land in a simulated agent hub (/accept, /agent, /timeout, /wait, /handback). With redirected input, reads one line per turn and prints plain you:/bot:/agent:/hub:/ticket: lines.")
        {
            scenario, mocks, clock, agentsOnline, language,
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

            var mocked = ParseMocks(context, package.Model, result.GetValue(mocks) ?? []);
            if (mocked is null)
                return ExitCodes.Usage;

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
            if (mocked.Count > 0)
                actions = new MockActionInvoker(mocked, fallback: actions);

            IChatView view = context.InputIsTerminal ? new TerminalChatView(context.Out, displayRoot) : new PlainChatView(context.Out, context.Error, displayRoot);
            view.Intro(package.Manifest, [.. mocked.Keys], start);
            var hub = new ChatHub(result.GetValue(agentsOnline));
            var session = new ChatSession(runtime, actions, view, hub, time,
                result.GetValue(language) ?? Language.CompileOptions.Default.Language);
            await session.RunAsync(context.Input, echo: !context.InputIsTerminal, ct);
            return ExitCodes.Success;
        }));
        return command;
    }

    /// <summary>Null (after printing why) when an entry is not action=value or names no action of the scenario.</summary>
    static Dictionary<string, ActionOutcome>? ParseMocks(CliContext context, ScenarioModel model, IReadOnlyList<string> entries)
    {
        var outcomes = new Dictionary<string, ActionOutcome>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var eq = entry.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                CommandGuard.Usage(context, $"--mock '{entry}' is not action=value, e.g. --mock lookupOrder=shipped.");
                return null;
            }
            var action = entry[..eq];
            if (!model.Actions.Any(a => a.Name == action))
            {
                var known = model.Actions.IsDefaultOrEmpty ? "the scenario has no actions" : "its actions are " + string.Join(", ", model.Actions.Select(a => a.Name));
                CommandGuard.Usage(context, $"--mock: the scenario has no action '{action}'; {known}.");
                return null;
            }
            JsonNode? value;
            try
            {
                value = CommandLineValue.Parse(entry[(eq + 1)..]);
            }
            catch (FormatException e)
            {
                CommandGuard.Usage(context, "--mock " + action + ": " + e.Message);
                return null;
            }
            outcomes[action] = ActionOutcome.Success(value);
        }
        return outcomes;
    }
}

using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using ScenarioKit.Cli.Agents;
using ScenarioKit.Cli.Console;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Audit;
using ScenarioKit.Hub.Storage;
using ScenarioKit.Server.Hosting;
using Spectre.Console;

namespace ScenarioKit.Cli.Commands;

/// <summary>
/// <c>agents</c>: company-issued agent accounts in the database <c>serve</c> uses (issue 9). Every change goes
/// through <see cref="AgentDirectory"/>, so it is validated and audited exactly as in the console, with the
/// actor <c>cli:&lt;OS user&gt;</c>.
/// </summary>
internal static class AgentsCommand
{
    static readonly string[] Roles = ["agent", "supervisor", "admin"];

    public static Command Create(CliContext context)
    {
        var database = DatabaseOption.Create();
        database.Recursive = true;
        var command = new Command("agents", "Manage the agent accounts of the agent console (/agent): add, list, disable, enable, reset a password, read the audit log. Acts on the database serve uses.")
        {
            database,
        };
        command.Subcommands.Add(Add(context, database));
        command.Subcommands.Add(List(context, database));
        command.Subcommands.Add(SetDisabled(context, database, disable: true));
        command.Subcommands.Add(SetDisabled(context, database, disable: false));
        command.Subcommands.Add(ResetPassword(context, database));
        command.Subcommands.Add(Audit(context, database));
        HelpExamples.Set(command,
            "scenariokit agents add sato --name \"佐藤 花子\" --role agent --queues support,billing",
            "scenariokit agents list",
            "scenariokit agents audit --actor sato --limit 20");
        return command;
    }

    /// <summary>Who the audit log names for changes made here.</summary>
    internal static string Actor => "cli:" + Environment.UserName;

    static Command Add(CliContext context, Option<string?> database)
    {
        var login = LoginArgument("The new account's sign-in name: 1–64 ASCII letters, digits, '.', '-', '_' or '@'.");
        var name = new Option<string>("--name")
        {
            Description = "The display name customers see in the chat (from.name), e.g. \"佐藤 花子\".",
            HelpName = "display name",
            Required = true,
        };
        var role = new Option<string>("--role")
        {
            Description = "agent (takes chats of its queues), supervisor (also sees every queue, monitors, whispers, takes over) or admin (also manages accounts and reads the audit).",
            DefaultValueFactory = _ => "agent",
        };
        role.AcceptOnlyFromAmong(Roles);
        var queues = new Option<string?>("--queues")
        {
            Description = "Comma-separated queues whose chats the account takes, or * for every queue (required for role agent).",
            HelpName = "queue,queue",
        };
        var maxChats = new Option<int>("--max-chats")
        {
            Description = "Concurrent chats before auto-assignment skips the account (1–25).",
            DefaultValueFactory = _ => AgentAccount.DefaultMaxChats,
            HelpName = "n",
        };
        var passwordStdin = PasswordStdinOption();
        var command = new Command("add", "Create an account. The password is asked twice on a terminal, or read as one line from stdin with --password-stdin.")
        {
            login, name, role, queues, maxChats, passwordStdin,
        };
        HelpExamples.Set(command,
            "scenariokit agents add sato --name \"佐藤 花子\" --queues support,billing",
            "scenariokit agents add lead --name \"Kim Lee\" --role supervisor --queues '*' --max-chats 5",
            "printf '%s\\n' \"$AGENT_PASSWORD\" | scenariokit agents add sato --name Sato --queues support --password-stdin --db /var/lib/scenariokit/state.db");

        command.SetAction((result, ct) =>
        {
            // The password first: a refused command line leaves no database file behind.
            var who = result.GetRequiredValue(login);
            var (password, exitCode, error) = PasswordInput.Read(context, result.GetValue(passwordStdin), who);
            if (password is null)
                return Task.FromResult(exitCode == ExitCodes.Usage ? CommandGuard.Usage(context, error!) : CommandGuard.Fail(context, error!));
            return RunAsync(context, result, database, requireExisting: false, async (directory, _) =>
            {
                var account = await directory.AddAsync(
                    who, result.GetRequiredValue(name), Enum.Parse<AgentRole>(result.GetRequiredValue(role), ignoreCase: true),
                    (result.GetValue(queues) ?? "").Split(','), password, Actor, result.GetValue(maxChats), ct);
                context.Out.MarkupLine($"Added {account.Login.EscapeMarkup()} ({account.DisplayName.EscapeMarkup()}, {RoleName(account.Role)}, queues {QueueList(account).EscapeMarkup()}, up to {account.MaxChats} chats). They sign in at /agent.");
                return ExitCodes.Success;
            });
        });
        return command;
    }

    static Command List(CliContext context, Option<string?> database)
    {
        var command = new Command("list", "Show every account: login, display name, role, queues, chat limit and whether it is disabled.");
        HelpExamples.Set(command, "scenariokit agents list", "scenariokit agents list --db /var/lib/scenariokit/state.db");
        command.SetAction((result, ct) => RunAsync(context, result, database, requireExisting: true, async (directory, _) =>
        {
            var accounts = await directory.ListAsync(ct);
            if (accounts.Count == 0)
            {
                context.Out.MarkupLine("No agent accounts yet. Create one with: scenariokit agents add <login> --name <display name> --queues <queue>");
                return ExitCodes.Success;
            }
            // Spectre measures cells, not chars: a Japanese display name is two cells per character and the columns stay aligned.
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn("login").AddColumn("name").AddColumn("role").AddColumn("queues")
                .AddColumn(new TableColumn("max chats").RightAligned()).AddColumn("disabled");
            foreach (var a in accounts)
                table.AddRow(Markup.Escape(a.Login), Markup.Escape(a.DisplayName), RoleName(a.Role), Markup.Escape(QueueList(a)), a.MaxChats.ToString(CultureInfo.InvariantCulture), a.Disabled ? "yes" : "no");
            context.Out.Write(table);
            return ExitCodes.Success;
        }));
        return command;
    }

    static Command SetDisabled(CliContext context, Option<string?> database, bool disable)
    {
        var login = LoginArgument(disable ? "The account to disable." : "The account to enable again.");
        var command = new Command(disable ? "disable" : "enable", disable
            ? "Disable an account: it can no longer sign in, and its open console sessions end at their next request."
            : "Enable a disabled account again (it also clears a lockout).")
        {
            login,
        };
        HelpExamples.Set(command, $"scenariokit agents {command.Name} sato");
        command.SetAction((result, ct) => RunAsync(context, result, database, requireExisting: true, async (directory, _) =>
        {
            var account = await directory.SetDisabledAsync(result.GetRequiredValue(login), disable, Actor, ct);
            context.Out.MarkupLine(disable
                ? $"Disabled {account.Login.EscapeMarkup()}; their signed-in sessions end at their next request."
                : $"Enabled {account.Login.EscapeMarkup()}.");
            return ExitCodes.Success;
        }));
        return command;
    }

    static Command ResetPassword(CliContext context, Option<string?> database)
    {
        var login = LoginArgument("The account whose password is replaced.");
        var passwordStdin = PasswordStdinOption();
        var command = new Command("reset-password", "Set a new password: clears a lockout and ends the account's signed-in sessions.")
        {
            login, passwordStdin,
        };
        HelpExamples.Set(command,
            "scenariokit agents reset-password sato",
            "printf '%s\\n' \"$NEW_PASSWORD\" | scenariokit agents reset-password sato --password-stdin");
        command.SetAction((result, ct) => RunAsync(context, result, database, requireExisting: true, async (directory, _) =>
        {
            var who = result.GetRequiredValue(login);
            // Ask for the password only for an account that exists.
            if (await directory.FindAsync(who, ct) is null)
                return CommandGuard.Fail(context, $"No account '{who}'.");
            var (password, exitCode, error) = PasswordInput.Read(context, result.GetValue(passwordStdin), who);
            if (password is null)
                return exitCode == ExitCodes.Usage ? CommandGuard.Usage(context, error!) : CommandGuard.Fail(context, error!);
            await directory.ResetPasswordAsync(who, password, Actor, ct);
            context.Out.MarkupLine($"New password set for {who.EscapeMarkup()}; their signed-in sessions end at their next request.");
            return ExitCodes.Success;
        }));
        return command;
    }

    static Command Audit(CliContext context, Option<string?> database)
    {
        var actor = new Option<string?>("--actor")
        {
            Description = "Only actions of this login (or system, or cli:<user>).",
            HelpName = "login",
        };
        var conversation = new Option<string?>("--conversation")
        {
            Description = "Only actions on this conversation key.",
            HelpName = "key",
        };
        var since = new Option<DateTimeOffset?>("--since")
        {
            Description = "Only actions at or after this instant (ISO 8601, e.g. 2026-12-01T09:00:00+09:00; without an offset: UTC).",
            HelpName = "ISO-8601",
            CustomParser = r =>
            {
                var text = r.Tokens.Single().Value;
                if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
                    return value;
                r.AddError($"--since: '{text}' is not an ISO 8601 date or instant.");
                return null;
            },
        };
        var limit = new Option<int>("--limit")
        {
            Description = "At most this many records, newest first (1–10000).",
            DefaultValueFactory = _ => 100,
            HelpName = "n",
        };
        limit.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 10_000) r.AddError("--limit must be between 1 and 10000.");
        });
        var format = new Option<string>("--format", "-f")
        {
            Description = "text (a table) or json (an array of { id, atUtc, actor, action, conversationKey, entryId, detail }, the console API's shape).",
            DefaultValueFactory = _ => "text",
        };
        format.AcceptOnlyFromAmong("text", "json");
        var command = new Command("audit", "Read the audit log, newest first: sign-ins, account changes and every agent and supervisor action on conversations.")
        {
            actor, conversation, since, limit, format,
        };
        HelpExamples.Set(command,
            "scenariokit agents audit --actor sato --since 2026-12-01",
            "scenariokit agents audit --conversation webchat/abc123 --format json > audit.json");
        command.SetAction((result, ct) => RunAsync(context, result, database, requireExisting: true, async (_, store) =>
        {
            var records = await store.ReadAuditAsync(
                new AuditQuery(NullIfEmpty(result.GetValue(actor)), NullIfEmpty(result.GetValue(conversation)), result.GetValue(since), result.GetValue(limit)), ct);
            if (result.GetRequiredValue(format) == "json")
            {
                await result.InvocationConfiguration.Output.WriteLineAsync(JsonSerializer.Serialize(records, AuditJson));
                return ExitCodes.Success;
            }
            if (records.Count == 0)
            {
                context.Out.MarkupLine("No audit records match.");
                return ExitCodes.Success;
            }
            var table = new Table().Border(TableBorder.Rounded)
                .AddColumn("at (UTC)").AddColumn("actor").AddColumn("action").AddColumn("conversation").AddColumn("detail");
            foreach (var r in records)
                table.AddRow(r.AtUtc.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture), Markup.Escape(r.Actor), Markup.Escape(r.Action),
                    Markup.Escape(r.ConversationKey ?? ""), Markup.Escape(r.Detail ?? ""));
            context.Out.Write(table);
            return ExitCodes.Success;
        }));
        return command;
    }

    static readonly JsonSerializerOptions AuditJson = new(JsonSerializerDefaults.Web) { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    static Argument<string> LoginArgument(string description) => new("login") { Description = description };

    static Option<bool> PasswordStdinOption() => new("--password-stdin")
    {
        Description = "Read the password as one line from standard input (for scripts); otherwise it is asked twice on the terminal, without echo.",
    };

    /// <summary>
    /// Opens the directory on the database <c>serve</c> uses (<c>ScenarioKit:Storage:*</c>: the SQLite file, or PostgreSQL;
    /// <c>--db</c> names a SQLite file and wins) and maps the hub's refusals to <c>error: …</c> with exit 1.
    /// Only <c>add</c> may create a SQLite file: a typo in <c>--db</c> must not leave an empty database behind.
    /// </summary>
    static Task<int> RunAsync(CliContext context, ParseResult result, Option<string?> database, bool requireExisting, Func<AgentDirectory, IHubStore, Task<int>> action) =>
        CommandGuard.RunAsync(context, async () =>
        {
            var options = StoredConversations.Options(result.GetValue(database));
            if (options.Storage.Provider == StorageProvider.Sqlite && requireExisting && !File.Exists(options.DatabasePath))
                return CommandGuard.Fail(context, $"no ScenarioKit database at {options.DatabasePath}. Create the first agent with 'scenariokit agents add', or name the file serve uses with --db.");
            return await StoredConversations.GuardAsync(context, options, async () =>
            {
                try
                {
                    var store = await ServerStorage.OpenHubStoreAsync(options, CancellationToken.None);
                    await using var _ = store as IAsyncDisposable;
                    return await action(new AgentDirectory(store, TimeProvider.System), store);
                }
                catch (AgentAccountException e)
                {
                    return CommandGuard.Fail(context, e.Message);
                }
            });
        });

    static string RoleName(AgentRole role) => role.ToString().ToLowerInvariant();

    static string QueueList(AgentAccount account) => account.Queues.IsEmpty ? "(none)" : string.Join(',', account.Queues);

    static string? NullIfEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}

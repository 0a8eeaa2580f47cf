using System.Text.Json;
using Microsoft.Data.Sqlite;
using ScenarioKit.Cli.Commands;
using ScenarioKit.Cli.Tests.Support;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Audit;
using ScenarioKit.Hub.Storage;
using Spectre.Console;

namespace ScenarioKit.Cli.Tests.Commands;

/// <summary><c>scenariokit agents</c> in process, on a temp database (issue 9).</summary>
public sealed class AgentsCommandTests : IDisposable
{
    const string Password = "correct horse battery";
    const string JapanesePassword = "ながいパスワードです１２３";

    readonly TempDirectory _temp = new();

    string Db => _temp.Combine("state.db");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    Task<CliRun> AddAsync(string login, string name, string password = Password, params string[] more) =>
        CliHarness.RunWithInputAsync(password + "\n", ["agents", "add", login, "--name", name, "--queues", "support,billing", "--password-stdin", "--db", Db, .. more]);

    Task<CliRun> RunAsync(params string[] args) => CliHarness.RunAsync([.. args, "--db", Db]);

    AgentDirectory Directory() => new(new SqliteHubStore(Db), TimeProvider.System);

    async Task<IReadOnlyList<AuditRecord>> AuditAsync() => await new SqliteHubStore(Db).ReadAuditAsync(new AuditQuery(), Ct);

    static void AssertNoPassword(CliRun run, params string[] passwords)
    {
        foreach (var password in passwords)
            Assert.DoesNotContain(password, run.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Add_with_password_stdin_creates_an_account_that_signs_in()
    {
        var run = await AddAsync("sato", "佐藤 花子", Password, "--max-chats", "5");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains("Added sato (佐藤 花子, agent, queues support,billing, up to 5 chats)", run.Out, StringComparison.Ordinal);
        AssertNoPassword(run, Password);
        var (result, account) = await Directory().SignInAsync("sato", Password, Ct);
        Assert.Equal(SignInResult.Success, result);
        Assert.Equal(("佐藤 花子", AgentRole.Agent, 5), (account!.DisplayName, account.Role, account.MaxChats));
        Assert.Equal(["support", "billing"], account.Queues);
        var audit = Assert.Single(await AuditAsync(), r => r.Action == AuditActions.AccountAdd);
        Assert.Equal(AgentsCommand.Actor, audit.Actor);
        Assert.Equal("cli:" + Environment.UserName, audit.Actor);
    }

    [Fact]
    public async Task A_Japanese_password_from_stdin_works_and_is_never_printed()
    {
        var run = await AddAsync("tanaka", "田中 一郎", JapanesePassword);
        var reset = await CliHarness.RunWithInputAsync(Password + "\r\n", "agents", "reset-password", "tanaka", "--password-stdin", "--db", Db);

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.True(reset.ExitCode == ExitCodes.Success, reset.ToString());
        AssertNoPassword(run, JapanesePassword);
        AssertNoPassword(reset, Password);
        Assert.Equal(SignInResult.InvalidCredentials, (await Directory().SignInAsync("tanaka", JapanesePassword, Ct)).Result);
        // A CRLF line end (Windows pipes) is not part of the password.
        Assert.Equal(SignInResult.Success, (await Directory().SignInAsync("tanaka", Password, Ct)).Result);
    }

    [Fact]
    public async Task Roles_and_all_queues_are_set_from_the_options()
    {
        var run = await CliHarness.RunWithInputAsync(Password + "\n", "agents", "add", "boss", "--name", "Kim Lee", "--role", "supervisor", "--queues", "*", "--password-stdin", "--db", Db);

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var account = (await Directory().FindAsync("boss", Ct))!;
        Assert.Equal(AgentRole.Supervisor, account.Role);
        Assert.Equal([AgentAccount.AllQueues], account.Queues);
    }

    [Fact]
    public async Task On_a_terminal_the_password_is_asked_twice_without_echo()
    {
        var run = await CliHarness.RunWithPromptsAsync([Password, Password], "agents", "add", "sato", "--name", "Sato", "--queues", "support", "--db", Db);

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        Assert.Contains("New password for sato:", run.Error, StringComparison.Ordinal);
        Assert.Contains("Repeat it:", run.Error, StringComparison.Ordinal);
        AssertNoPassword(run, Password);
        Assert.DoesNotContain("*****", run.Error, StringComparison.Ordinal);
        Assert.Equal(SignInResult.Success, (await Directory().SignInAsync("sato", Password, Ct)).Result);
    }

    [Fact]
    public async Task Two_different_passwords_at_the_prompts_change_nothing()
    {
        var run = await CliHarness.RunWithPromptsAsync([Password, Password + "!"], "agents", "add", "sato", "--name", "Sato", "--queues", "support", "--db", Db);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("error: the two passwords differ", run.Error, StringComparison.Ordinal);
        AssertNoPassword(run, Password);
        Assert.Null(await Directory().FindAsync("sato", Ct));
    }

    [Fact]
    public async Task Without_a_terminal_or_password_stdin_it_is_a_usage_error()
    {
        var run = await CliHarness.RunWithInputAsync(Password + "\n", "agents", "add", "sato", "--name", "Sato", "--queues", "support", "--db", Db);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("error: standard input is not a terminal", run.Error, StringComparison.Ordinal);
        Assert.Contains("--password-stdin", run.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(Db));
    }

    [Fact]
    public async Task Empty_stdin_with_password_stdin_is_a_usage_error()
    {
        var run = await CliHarness.RunWithInputAsync("", "agents", "add", "sato", "--name", "Sato", "--queues", "support", "--password-stdin", "--db", Db);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--password-stdin: no password on standard input", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("sato", Password, "An account 'sato' exists already.")]
    [InlineData("new", "short", "The password must be at least 10 characters.")]
    [InlineData("佐藤", Password, "is not a valid login")]
    public async Task Refusals_of_the_directory_print_as_errors_with_exit_1(string login, string password, string message)
    {
        await AddAsync("sato", "Sato");

        var run = await AddAsync(login, "Someone", password);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("error: ", run.Error, StringComparison.Ordinal);
        Assert.Contains(message, run.Error, StringComparison.Ordinal);
        AssertNoPassword(run, password);
        Assert.Single(await Directory().ListAsync(Ct));
    }

    [Fact]
    public async Task An_agent_without_queues_is_refused()
    {
        var run = await CliHarness.RunWithInputAsync(Password + "\n", "agents", "add", "sato", "--name", "Sato", "--password-stdin", "--db", Db);

        Assert.Equal(ExitCodes.Failed, run.ExitCode);
        Assert.Contains("error: An agent needs at least one queue", run.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--role", "owner")]
    [InlineData("--max-chats", "many")]
    public async Task Bad_option_values_are_usage_errors(string option, string value)
    {
        var run = await CliHarness.RunWithInputAsync(Password + "\n", "agents", "add", "sato", "--name", "Sato", "--queues", "support", option, value, "--password-stdin", "--db", Db);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("Run 'scenariokit agents add --help' for usage.", run.Stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(Db));
    }

    [Fact]
    public async Task A_missing_name_is_a_usage_error()
    {
        var run = await CliHarness.RunWithInputAsync(Password + "\n", "agents", "add", "sato", "--queues", "support", "--password-stdin", "--db", Db);

        Assert.Equal(ExitCodes.Usage, run.ExitCode);
        Assert.Contains("--name", run.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task List_shows_every_account_in_an_aligned_table_with_Japanese_names()
    {
        await AddAsync("sato", "佐藤 花子");
        await AddAsync("lee", "Kim Lee", Password, "--role", "admin", "--max-chats", "10");
        await RunAsync("agents", "disable", "lee");

        var run = await RunAsync("agents", "list");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        var lines = run.Out.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines.Select(l => l.GetCellWidth()).Distinct());
        Assert.Matches(@"login\s+│\s+name\s+│\s+role\s+│\s+queues\s+│\s+max chats\s+│\s+disabled", lines[1]);
        Assert.Matches(@"│ lee\s+│ Kim Lee\s+│ admin\s+│ support,billing\s+│\s+10 │ yes", Assert.Single(lines, l => l.Contains("lee", StringComparison.Ordinal)));
        Assert.Matches(@"│ sato\s+│ 佐藤 花子\s+│ agent\s+│ support,billing\s+│\s+3 │ no", Assert.Single(lines, l => l.Contains("sato", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task List_of_an_empty_database_says_how_to_add_the_first_agent()
    {
        _ = new SqliteHubStore(Db);

        var run = await RunAsync("agents", "list");

        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Contains("scenariokit agents add", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Commands_other_than_add_do_not_create_a_database()
    {
        foreach (var args in new[] { new[] { "agents", "list" }, ["agents", "disable", "sato"], ["agents", "audit"] })
        {
            var run = await RunAsync(args);

            Assert.Equal(ExitCodes.Failed, run.ExitCode);
            Assert.Contains("error: no ScenarioKit database at " + Path.GetFullPath(Db), run.Error, StringComparison.Ordinal);
        }
        Assert.False(File.Exists(Db));
    }

    [Fact]
    public async Task Disable_and_enable_change_sign_in_and_are_audited()
    {
        await AddAsync("sato", "Sato");

        var disabled = await RunAsync("agents", "disable", "sato");
        var signInWhileDisabled = (await Directory().SignInAsync("sato", Password, Ct)).Result;
        var enabled = await RunAsync("agents", "enable", "sato");

        Assert.True(disabled.ExitCode == ExitCodes.Success, disabled.ToString());
        Assert.Contains("Disabled sato", disabled.Out, StringComparison.Ordinal);
        Assert.Equal(SignInResult.Disabled, signInWhileDisabled);
        Assert.True(enabled.ExitCode == ExitCodes.Success, enabled.ToString());
        Assert.Equal(SignInResult.Success, (await Directory().SignInAsync("sato", Password, Ct)).Result);
        var cli = (await AuditAsync()).Where(r => r.Actor == AgentsCommand.Actor).Select(r => r.Action).Reverse();
        Assert.Equal([AuditActions.AccountAdd, AuditActions.AccountDisable, AuditActions.AccountEnable], cli);
    }

    [Fact]
    public async Task Changing_an_unknown_account_is_an_error()
    {
        await AddAsync("sato", "Sato");

        var disable = await RunAsync("agents", "disable", "ghost");
        var reset = await CliHarness.RunWithInputAsync(Password + "\n", "agents", "reset-password", "ghost", "--password-stdin", "--db", Db);

        Assert.Equal((ExitCodes.Failed, ExitCodes.Failed), (disable.ExitCode, reset.ExitCode));
        Assert.Contains("error: No account 'ghost'.", disable.Error, StringComparison.Ordinal);
        Assert.Contains("error: No account 'ghost'.", reset.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reset_password_on_a_terminal_replaces_the_password_and_clears_a_lockout()
    {
        await AddAsync("sato", "Sato");
        for (var i = 0; i < AgentDirectory.MaxFailedLogins; i++)
            await Directory().SignInAsync("sato", "wrong password", Ct);

        var run = await CliHarness.RunWithPromptsAsync([JapanesePassword, JapanesePassword], "agents", "reset-password", "sato", "--db", Db);

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        AssertNoPassword(run, JapanesePassword);
        Assert.Equal(SignInResult.Success, (await Directory().SignInAsync("sato", JapanesePassword, Ct)).Result);
        Assert.Contains(await AuditAsync(), r => r.Action == AuditActions.AccountPassword && r.Actor == AgentsCommand.Actor && r.Detail == "sato");
    }

    [Fact]
    public async Task Audit_prints_a_table_newest_first_with_filters()
    {
        await AddAsync("sato", "Sato");
        await Directory().SignInAsync("sato", "wrong password", Ct);
        await Directory().SignInAsync("sato", Password, Ct);

        var all = await RunAsync("agents", "audit");
        var mine = await RunAsync("agents", "audit", "--actor", "sato", "--limit", "1");

        Assert.True(all.ExitCode == ExitCodes.Success, all.ToString());
        var rows = all.Out.ReplaceLineEndings("\n").Split('\n').Where(l => l.StartsWith("│ 20", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, rows.Count);
        Assert.Contains("│ sato ", rows[0], StringComparison.Ordinal);
        Assert.Contains("│ login ", rows[0], StringComparison.Ordinal);
        Assert.Contains("login.failed", rows[1], StringComparison.Ordinal);
        Assert.Contains("account.add", rows[2], StringComparison.Ordinal);
        Assert.Contains(AgentsCommand.Actor, rows[2], StringComparison.Ordinal);
        var mineRows = mine.Out.ReplaceLineEndings("\n").Split('\n').Where(l => l.StartsWith("│ 20", StringComparison.Ordinal)).ToList();
        Assert.Contains("│ login ", Assert.Single(mineRows), StringComparison.Ordinal);
        AssertNoPassword(all, Password);
    }

    [Fact]
    public async Task Audit_as_json_is_the_console_API_shape()
    {
        await AddAsync("sato", "佐藤 花子");
        await new SqliteHubStore(Db).AppendAuditAsync(new AuditRecord(0, DateTimeOffset.UtcNow, "sato", AuditActions.Note, "webchat/c1", "h1", "返金の件"), Ct);

        var run = await RunAsync("agents", "audit", "--conversation", "webchat/c1", "--format", "json");

        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        using var json = JsonDocument.Parse(run.Stdout);
        var record = Assert.Single(json.RootElement.EnumerateArray());
        Assert.Equal(["id", "atUtc", "actor", "action", "conversationKey", "entryId", "detail"], record.EnumerateObject().Select(p => p.Name));
        Assert.Equal(("sato", "note", "webchat/c1", "h1", "返金の件"),
            (record.GetProperty("actor").GetString(), record.GetProperty("action").GetString(), record.GetProperty("conversationKey").GetString(),
             record.GetProperty("entryId").GetString(), record.GetProperty("detail").GetString()));
        Assert.Contains("返金の件", run.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_since_takes_an_ISO_instant_and_refuses_anything_else()
    {
        await AddAsync("sato", "Sato");

        var future = await RunAsync("agents", "audit", "--since", DateTimeOffset.UtcNow.AddDays(1).ToString("O"), "--format", "json");
        var past = await RunAsync("agents", "audit", "--since", "2020-01-01", "--format", "json");
        var bad = await RunAsync("agents", "audit", "--since", "yesterday");
        var badLimit = await RunAsync("agents", "audit", "--limit", "0");

        Assert.Equal("[]", future.Stdout.Trim());
        Assert.Single(JsonDocument.Parse(past.Stdout).RootElement.EnumerateArray());
        Assert.Equal(ExitCodes.Usage, bad.ExitCode);
        Assert.Contains("'yesterday' is not an ISO 8601", bad.Stderr, StringComparison.Ordinal);
        Assert.Contains("Run 'scenariokit agents audit --help' for usage.", bad.Stderr, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Usage, badLimit.ExitCode);
    }

    [Fact]
    public async Task Help_of_the_group_and_of_add_shows_examples()
    {
        var group = await CliHarness.RunAsync("agents", "--help");
        var add = await CliHarness.RunAsync("agents", "add", "--help");

        Assert.Equal((ExitCodes.Success, ExitCodes.Success), (group.ExitCode, add.ExitCode));
        foreach (var sub in new[] { "add <login>", "list", "disable <login>", "enable <login>", "reset-password <login>", "audit" })
            Assert.Contains("  " + sub, group.Stdout, StringComparison.Ordinal);
        Assert.Contains("Examples:", group.Stdout, StringComparison.Ordinal);
        Assert.Contains("--password-stdin", add.Stdout, StringComparison.Ordinal);
        Assert.Contains("scenariokit agents add sato --name \"佐藤 花子\"", add.Stdout, StringComparison.Ordinal);
    }
}

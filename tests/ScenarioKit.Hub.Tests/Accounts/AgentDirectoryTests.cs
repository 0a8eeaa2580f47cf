using Microsoft.Extensions.Time.Testing;
using ScenarioKit.Hub.Accounts;
using ScenarioKit.Hub.Audit;
using ScenarioKit.Hub.Storage;
using ScenarioKit.Hub.Tests.Support;

namespace ScenarioKit.Hub.Tests.Accounts;

public sealed class AgentDirectoryTests : IDisposable
{
    const string Password = "correct horse battery";
    const string JapanesePassword = "ながいパスワードです１２３";

    readonly TempDatabase _database = new();
    readonly FakeTimeProvider _time = new(HubData.Start);
    readonly SqliteHubStore _store;
    readonly AgentDirectory _directory;

    public AgentDirectoryTests()
    {
        _store = new SqliteHubStore(_database.Path);
        _directory = new AgentDirectory(_store, _time);
    }

    public void Dispose()
    {
        _store.Dispose();
        _database.Dispose();
    }

    static CancellationToken Ct => TestContext.Current.CancellationToken;

    Task<AgentAccount> AddSatoAsync(string password = Password) =>
        _directory.AddAsync("sato", "佐藤 花子", AgentRole.Agent, ["support", " billing ", "support", ""], password, "cli:root", cancellationToken: Ct);

    async Task<IReadOnlyList<AuditRecord>> AuditAsync() => [.. (await _store.ReadAuditAsync(new AuditQuery(), Ct)).Reverse()];

    [Fact]
    public async Task The_stored_hash_is_not_the_password_and_verifies_it()
    {
        var account = await AddSatoAsync();

        var stored = (await _store.GetAgentAsync("sato", Ct))!;
        Assert.NotEqual(Password, stored.PasswordHash);
        Assert.DoesNotContain(Password, stored.PasswordHash, StringComparison.Ordinal);
        var (result, signedIn) = await _directory.SignInAsync("sato", Password, Ct);
        Assert.Equal(SignInResult.Success, result);
        Assert.Equal(account.SecurityStamp, signedIn!.SecurityStamp);
        Assert.Equal(SignInResult.InvalidCredentials, (await _directory.SignInAsync("sato", Password + "x", Ct)).Result);
    }

    [Fact]
    public async Task The_same_password_hashes_differently_for_two_accounts()
    {
        await AddSatoAsync();
        await _directory.AddAsync("lee", "Kim Lee", AgentRole.Agent, ["support"], Password, "cli:root", cancellationToken: Ct);

        Assert.NotEqual((await _store.GetAgentAsync("sato", Ct))!.PasswordHash, (await _store.GetAgentAsync("lee", Ct))!.PasswordHash);
    }

    [Fact]
    public async Task A_Japanese_password_and_display_name_work()
    {
        await _directory.AddAsync("tanaka", "田中 一郎", AgentRole.Agent, ["support"], JapanesePassword, "cli:root", cancellationToken: Ct);

        var (result, account) = await _directory.SignInAsync("tanaka", JapanesePassword, Ct);

        Assert.Equal(SignInResult.Success, result);
        Assert.Equal("田中 一郎", account!.DisplayName);
    }

    [Fact]
    public async Task Add_normalises_queues_and_keeps_the_fields()
    {
        var account = await AddSatoAsync();

        Assert.Equal(["support", "billing"], account.Queues);
        Assert.Equal(AgentAccount.DefaultMaxChats, account.MaxChats);
        Assert.False(account.Disabled);
        Assert.Equal(HubData.Start, account.CreatedUtc);
        var listed = Assert.Single(await _directory.ListAsync(Ct));
        Assert.Equal(account.Queues, listed.Queues);
        Assert.Equal(account with { Queues = [] }, listed with { Queues = [] });
    }

    [Fact]
    public async Task Five_wrong_passwords_lock_the_account_for_fifteen_minutes()
    {
        await AddSatoAsync();

        for (var i = 1; i < AgentDirectory.MaxFailedLogins; i++)
            Assert.Equal(SignInResult.InvalidCredentials, (await _directory.SignInAsync("sato", "wrong password " + i, Ct)).Result);
        Assert.Equal(SignInResult.LockedOut, (await _directory.SignInAsync("sato", "wrong password 5", Ct)).Result);

        // Even the right password is refused while locked.
        Assert.Equal(SignInResult.LockedOut, (await _directory.SignInAsync("sato", Password, Ct)).Result);
        _time.Advance(AgentDirectory.LockoutDuration - TimeSpan.FromSeconds(1));
        Assert.Equal(SignInResult.LockedOut, (await _directory.SignInAsync("sato", Password, Ct)).Result);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(SignInResult.Success, (await _directory.SignInAsync("sato", Password, Ct)).Result);

        var stored = (await _store.GetAgentAsync("sato", Ct))!;
        Assert.Equal(0, stored.FailedLogins);
        Assert.Null(stored.LockedUntilUtc);
    }

    [Fact]
    public async Task A_success_resets_the_failure_count()
    {
        await AddSatoAsync();
        for (var i = 0; i < AgentDirectory.MaxFailedLogins - 1; i++)
            await _directory.SignInAsync("sato", "wrong", Ct);

        Assert.Equal(SignInResult.Success, (await _directory.SignInAsync("sato", Password, Ct)).Result);
        Assert.Equal(SignInResult.InvalidCredentials, (await _directory.SignInAsync("sato", "wrong", Ct)).Result);
        Assert.Equal(1, (await _store.GetAgentAsync("sato", Ct))!.FailedLogins);
    }

    [Fact]
    public async Task A_disabled_account_cannot_sign_in_until_enabled()
    {
        var before = await AddSatoAsync();

        var disabled = await _directory.SetDisabledAsync("sato", true, "cli:root", Ct);

        Assert.True(disabled.Disabled);
        Assert.NotEqual(before.SecurityStamp, disabled.SecurityStamp);
        Assert.Equal((SignInResult.Disabled, null), await _directory.SignInAsync("sato", Password, Ct));
        // A wrong password says nothing about the account being disabled.
        Assert.Equal(SignInResult.InvalidCredentials, (await _directory.SignInAsync("sato", "wrong", Ct)).Result);
        var enabled = await _directory.SetDisabledAsync("sato", false, "cli:root", Ct);
        Assert.False(enabled.Disabled);
        Assert.Equal(SignInResult.Success, (await _directory.SignInAsync("sato", Password, Ct)).Result);
    }

    [Fact]
    public async Task Reset_password_replaces_it_clears_the_lockout_and_changes_the_stamp()
    {
        var before = await AddSatoAsync();
        for (var i = 0; i < AgentDirectory.MaxFailedLogins; i++)
            await _directory.SignInAsync("sato", "wrong", Ct);

        await _directory.ResetPasswordAsync("sato", JapanesePassword, "admin", Ct);

        Assert.NotEqual(before.SecurityStamp, (await _directory.FindAsync("sato", Ct))!.SecurityStamp);
        Assert.Equal(SignInResult.InvalidCredentials, (await _directory.SignInAsync("sato", Password, Ct)).Result);
        Assert.Equal(SignInResult.Success, (await _directory.SignInAsync("sato", JapanesePassword, Ct)).Result);
    }

    [Theory]
    [InlineData("")]
    [InlineData("short")]
    [InlineData("123456789")]
    public async Task Passwords_shorter_than_the_minimum_are_refused(string password)
    {
        var e = await Assert.ThrowsAsync<AgentAccountException>(() => AddSatoAsync(password));

        Assert.Contains(AgentDirectory.MinPasswordLength.ToString(System.Globalization.CultureInfo.InvariantCulture), e.Message, StringComparison.Ordinal);
        Assert.Null(await _directory.FindAsync("sato", Ct));
        await AddSatoAsync();
        await Assert.ThrowsAsync<AgentAccountException>(() => _directory.ResetPasswordAsync("sato", password, "admin", Ct));
    }

    [Fact]
    public async Task Passwords_of_exactly_the_minimum_and_maximum_length_are_accepted_and_longer_ones_refused()
    {
        await _directory.AddAsync("a", "A", AgentRole.Agent, ["support"], new string('x', AgentDirectory.MinPasswordLength), "admin", cancellationToken: Ct);
        await _directory.AddAsync("b", "B", AgentRole.Agent, ["support"], new string('x', 512), "admin", cancellationToken: Ct);

        await Assert.ThrowsAsync<AgentAccountException>(() => _directory.AddAsync("c", "C", AgentRole.Agent, ["support"], new string('x', 513), "admin", cancellationToken: Ct));
    }

    [Theory]
    [InlineData("sato")]
    [InlineData("sato.hanako@example.com")]
    [InlineData("agent_01-b")]
    public async Task Valid_logins_are_accepted(string login)
    {
        var account = await _directory.AddAsync(" " + login + " ", "X", AgentRole.Agent, ["support"], Password, "admin", cancellationToken: Ct);

        Assert.Equal(login, account.Login);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("佐藤")]
    [InlineData("has space")]
    [InlineData("semi;colon")]
    [InlineData("ｓａｔｏ")]
    public async Task Invalid_logins_are_refused(string login)
    {
        await Assert.ThrowsAsync<AgentAccountException>(() => _directory.AddAsync(login, "X", AgentRole.Agent, ["support"], Password, "admin", cancellationToken: Ct));

        Assert.Empty(await _directory.ListAsync(Ct));
    }

    [Fact]
    public async Task A_login_longer_than_64_characters_is_refused()
    {
        await _directory.AddAsync(new string('a', 64), "X", AgentRole.Agent, ["support"], Password, "admin", cancellationToken: Ct);

        await Assert.ThrowsAsync<AgentAccountException>(() => _directory.AddAsync(new string('b', 65), "X", AgentRole.Agent, ["support"], Password, "admin", cancellationToken: Ct));
    }

    [Fact]
    public async Task Other_account_rules_are_checked()
    {
        await Assert.ThrowsAsync<AgentAccountException>(() => _directory.AddAsync("a", " ", AgentRole.Agent, ["support"], Password, "admin", cancellationToken: Ct));
        await Assert.ThrowsAsync<AgentAccountException>(() => _directory.AddAsync("a", new string('名', 101), AgentRole.Agent, ["support"], Password, "admin", cancellationToken: Ct));
        await Assert.ThrowsAsync<AgentAccountException>(() => _directory.AddAsync("a", "A", AgentRole.Agent, ["support"], Password, "admin", maxChats: 0, cancellationToken: Ct));
        await Assert.ThrowsAsync<AgentAccountException>(() => _directory.AddAsync("a", "A", AgentRole.Agent, ["support"], Password, "admin", maxChats: 26, cancellationToken: Ct));
        await Assert.ThrowsAsync<AgentAccountException>(() => _directory.AddAsync("a", "A", AgentRole.Agent, [" ", ""], Password, "admin", cancellationToken: Ct));
        Assert.Empty(await _directory.ListAsync(Ct));

        // A supervisor or admin may serve no queue of their own.
        var admin = await _directory.AddAsync("boss", "Boss", AgentRole.Admin, [], Password, "admin", maxChats: 25, cancellationToken: Ct);
        Assert.Empty(admin.Queues);
    }

    [Fact]
    public async Task A_login_is_added_once()
    {
        await AddSatoAsync();

        var e = await Assert.ThrowsAsync<AgentAccountException>(() => _directory.AddAsync("sato", "Other", AgentRole.Admin, ["*"], Password, "admin", cancellationToken: Ct));

        Assert.Contains("sato", e.Message, StringComparison.Ordinal);
        Assert.Equal("佐藤 花子", (await _directory.FindAsync("sato", Ct))!.DisplayName);
    }

    [Fact]
    public async Task Changes_to_an_unknown_account_are_refused()
    {
        await Assert.ThrowsAsync<AgentAccountException>(() => _directory.SetDisabledAsync("ghost", true, "admin", Ct));
        await Assert.ThrowsAsync<AgentAccountException>(() => _directory.ResetPasswordAsync("ghost", Password, "admin", Ct));
        Assert.Empty(await _directory.ListAsync(Ct));
    }

    [Fact]
    public async Task An_unknown_login_fails_like_a_wrong_password()
    {
        Assert.Equal((SignInResult.InvalidCredentials, null), await _directory.SignInAsync("ghost", Password, Ct));
        Assert.Equal((SignInResult.InvalidCredentials, null), await _directory.SignInAsync("", Password, Ct));
    }

    [Fact]
    public async Task Every_outcome_is_audited_and_no_password_is()
    {
        await AddSatoAsync();
        await _directory.SignInAsync("sato", Password, Ct);
        await _directory.SignInAsync("sato", "wrong password", Ct);
        await _directory.SignInAsync("ghost", "wrong password", Ct);
        await _directory.SignInAsync(new string('g', 100), "x", Ct);
        for (var i = 0; i < AgentDirectory.MaxFailedLogins - 1; i++)
            await _directory.SignInAsync("sato", "wrong password", Ct);
        await _directory.SignInAsync("sato", Password, Ct);
        await _directory.SetDisabledAsync("sato", true, "cli:root", Ct);
        await _directory.SignInAsync("sato", Password, Ct);
        await _directory.SetDisabledAsync("sato", false, "cli:root", Ct);
        await _directory.ResetPasswordAsync("sato", JapanesePassword, "admin", Ct);

        var audit = await AuditAsync();

        Assert.Equal(
            [
                ("cli:root", AuditActions.AccountAdd, "sato (Agent; queues support,billing)"),
                ("sato", AuditActions.Login, null),
                ("sato", AuditActions.LoginFailed, "wrong password"),
                ("ghost", AuditActions.LoginFailed, "unknown login"),
                (new string('g', 64), AuditActions.LoginFailed, "unknown login"),
                ("sato", AuditActions.LoginFailed, "wrong password"),
                ("sato", AuditActions.LoginFailed, "wrong password"),
                ("sato", AuditActions.LoginFailed, "wrong password"),
                ("sato", AuditActions.LoginFailed, "wrong password; locked out"),
                ("sato", AuditActions.LoginFailed, "locked out"),
                ("cli:root", AuditActions.AccountDisable, "sato"),
                ("sato", AuditActions.LoginFailed, "account disabled"),
                ("cli:root", AuditActions.AccountEnable, "sato"),
                ("admin", AuditActions.AccountPassword, "sato"),
            ],
            audit.Select(r => (r.Actor, r.Action, r.Detail)));
        Assert.All(audit, r => Assert.Equal(HubData.Start, r.AtUtc));
        Assert.DoesNotContain(audit, r => (r.Detail ?? "").Contains("horse", StringComparison.Ordinal) || (r.Detail ?? "").Contains("パスワード", StringComparison.Ordinal));
    }
}

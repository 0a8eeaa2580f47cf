using System.Collections.Immutable;
using System.Security.Cryptography;
using Microsoft.AspNetCore.Identity;
using ScenarioKit.Hub.Audit;
using ScenarioKit.Hub.Storage;

namespace ScenarioKit.Hub.Accounts;

/// <summary>Bad input to an account operation; the message is meant for the operator as it is.</summary>
public sealed class AgentAccountException(string message) : Exception(message);

/// <summary>
/// Company-issued accounts: created, disabled and reset by an administrator (CLI or console), never by sign-up.
/// Passwords are kept only as ASP.NET Core <see cref="PasswordHasher{TUser}"/> hashes (PBKDF2-HMAC-SHA512,
/// 100,000 iterations, per-password salt). <see cref="MaxFailedLogins"/> wrong passwords in a row lock the
/// account for <see cref="LockoutDuration"/>; the server adds per-address rate limiting in front.
/// </summary>
public sealed class AgentDirectory(IHubStore store, TimeProvider time)
{
    public const int MaxFailedLogins = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);
    public const int MinPasswordLength = 10;

    static readonly PasswordHasher<AgentAccount> Hasher = new();

    public async Task<AgentAccount> AddAsync(string login, string displayName, AgentRole role, IEnumerable<string> queues, string password, string actor, int maxChats = AgentAccount.DefaultMaxChats, CancellationToken cancellationToken = default)
    {
        login = CheckLogin(login);
        if (string.IsNullOrWhiteSpace(displayName)) throw new AgentAccountException("The display name must not be empty.");
        if (displayName.Length > 100) throw new AgentAccountException("The display name must be at most 100 characters.");
        if (maxChats is < 1 or > 25) throw new AgentAccountException("The chat limit must be between 1 and 25.");
        CheckPassword(password);
        var queueList = queues.Select(q => q.Trim()).Where(q => q.Length > 0).Distinct(StringComparer.Ordinal).ToImmutableArray();
        if (queueList.IsEmpty && role == AgentRole.Agent)
            throw new AgentAccountException("An agent needs at least one queue (--queues support,billing or * for all).");
        var account = new AgentAccount(login, displayName.Trim(), role, queueList, maxChats, Disabled: false, NewStamp(), time.GetUtcNow());
        var credentials = new AgentCredentials(account, Hasher.HashPassword(account, password), 0, null);
        if (!await store.AddAgentAsync(credentials, cancellationToken).ConfigureAwait(false))
            throw new AgentAccountException($"An account '{login}' exists already.");
        await AuditAsync(actor, AuditActions.AccountAdd, $"{login} ({role}; queues {string.Join(',', queueList)})", cancellationToken).ConfigureAwait(false);
        return account;
    }

    public Task<IReadOnlyList<AgentAccount>> ListAsync(CancellationToken cancellationToken = default) => store.ListAgentsAsync(cancellationToken);

    public async Task<AgentAccount?> FindAsync(string login, CancellationToken cancellationToken = default) =>
        (await store.GetAgentAsync(login, cancellationToken).ConfigureAwait(false))?.Account;

    public async Task<AgentAccount> SetDisabledAsync(string login, bool disabled, string actor, CancellationToken cancellationToken = default)
    {
        var current = await GetAsync(login, cancellationToken).ConfigureAwait(false);
        var updated = current with { Account = current.Account with { Disabled = disabled, SecurityStamp = NewStamp() }, FailedLogins = 0, LockedUntilUtc = null };
        await store.UpdateAgentAsync(updated, cancellationToken).ConfigureAwait(false);
        await AuditAsync(actor, disabled ? AuditActions.AccountDisable : AuditActions.AccountEnable, login, cancellationToken).ConfigureAwait(false);
        return updated.Account;
    }

    /// <summary>Sets a new password, clears the lockout and ends the account's existing sessions.</summary>
    public async Task ResetPasswordAsync(string login, string password, string actor, CancellationToken cancellationToken = default)
    {
        CheckPassword(password);
        var current = await GetAsync(login, cancellationToken).ConfigureAwait(false);
        var account = current.Account with { SecurityStamp = NewStamp() };
        await store.UpdateAgentAsync(new AgentCredentials(account, Hasher.HashPassword(account, password), 0, null), cancellationToken).ConfigureAwait(false);
        await AuditAsync(actor, AuditActions.AccountPassword, login, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Checks a login. Every outcome is audited; a locked or unknown account costs the same hash computation as a
    /// real one, so timing does not tell which logins exist.
    /// </summary>
    public async Task<(SignInResult Result, AgentAccount? Account)> SignInAsync(string login, string password, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var stored = string.IsNullOrEmpty(login) ? null : await store.GetAgentAsync(login.Trim(), cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            Hasher.VerifyHashedPassword(Dummy.Account, Dummy.PasswordHash, password ?? "");
            await AuditAsync(Truncate(login), AuditActions.LoginFailed, "unknown login", cancellationToken).ConfigureAwait(false);
            return (SignInResult.InvalidCredentials, null);
        }
        var account = stored.Account;
        if (stored.LockedUntilUtc is { } until && until > now)
        {
            Hasher.VerifyHashedPassword(Dummy.Account, Dummy.PasswordHash, password ?? "");
            await AuditAsync(account.Login, AuditActions.LoginFailed, "locked out", cancellationToken).ConfigureAwait(false);
            return (SignInResult.LockedOut, null);
        }
        var verdict = Hasher.VerifyHashedPassword(account, stored.PasswordHash, password ?? "");
        if (verdict == PasswordVerificationResult.Failed)
        {
            var failed = stored.FailedLogins + 1;
            var locked = failed >= MaxFailedLogins ? now + LockoutDuration : (DateTimeOffset?)null;
            await store.UpdateAgentAsync(stored with { FailedLogins = locked is null ? failed : 0, LockedUntilUtc = locked }, cancellationToken).ConfigureAwait(false);
            await AuditAsync(account.Login, AuditActions.LoginFailed, locked is null ? "wrong password" : "wrong password; locked out", cancellationToken).ConfigureAwait(false);
            return (locked is null ? SignInResult.InvalidCredentials : SignInResult.LockedOut, null);
        }
        if (account.Disabled)
        {
            await AuditAsync(account.Login, AuditActions.LoginFailed, "account disabled", cancellationToken).ConfigureAwait(false);
            return (SignInResult.Disabled, null);
        }
        var rehash = verdict == PasswordVerificationResult.SuccessRehashNeeded ? Hasher.HashPassword(account, password!) : stored.PasswordHash;
        if (stored.FailedLogins != 0 || stored.LockedUntilUtc is not null || !ReferenceEquals(rehash, stored.PasswordHash))
            await store.UpdateAgentAsync(stored with { PasswordHash = rehash, FailedLogins = 0, LockedUntilUtc = null }, cancellationToken).ConfigureAwait(false);
        await AuditAsync(account.Login, AuditActions.Login, null, cancellationToken).ConfigureAwait(false);
        return (SignInResult.Success, account);
    }

    async Task<AgentCredentials> GetAsync(string login, CancellationToken cancellationToken) =>
        await store.GetAgentAsync(login, cancellationToken).ConfigureAwait(false) ?? throw new AgentAccountException($"No account '{login}'.");

    Task AuditAsync(string actor, string action, string? detail, CancellationToken cancellationToken) =>
        store.AppendAuditAsync(new AuditRecord(0, time.GetUtcNow(), actor, action, null, null, detail), cancellationToken);

    static string CheckLogin(string login)
    {
        login = (login ?? "").Trim();
        if (login.Length is 0 or > 64 || !login.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' or '@'))
            throw new AgentAccountException($"'{login}' is not a valid login: use 1–64 letters, digits, '.', '-', '_' or '@'.");
        return login;
    }

    static void CheckPassword(string password)
    {
        if (string.IsNullOrEmpty(password) || password.Length < MinPasswordLength)
            throw new AgentAccountException($"The password must be at least {MinPasswordLength} characters.");
        if (password.Length > 512) throw new AgentAccountException("The password must be at most 512 characters.");
    }

    static string NewStamp() => Convert.ToHexString(RandomNumberGenerator.GetBytes(16));

    static string Truncate(string? s) => string.IsNullOrEmpty(s) ? "(empty)" : s.Length <= 64 ? s : s[..64];

    static readonly AgentCredentials Dummy = CreateDummy();

    static AgentCredentials CreateDummy()
    {
        var account = new AgentAccount("-", "-", AgentRole.Agent, [], 1, false, "", DateTimeOffset.UnixEpoch);
        return new AgentCredentials(account, Hasher.HashPassword(account, Convert.ToHexString(RandomNumberGenerator.GetBytes(16))), 0, null);
    }
}

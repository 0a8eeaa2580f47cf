using System.Collections.Immutable;

namespace ScenarioKit.Hub.Accounts;

/// <summary>What an account may do. Supervisors see every queue and may monitor, whisper and take over; admins also manage accounts and read the audit.</summary>
public enum AgentRole
{
    Agent,
    Supervisor,
    Admin,
}

/// <summary>
/// A company-issued agent account (no self sign-up). <see cref="Queues"/> holds queue names, or <c>*</c> for
/// every queue. <see cref="SecurityStamp"/> changes whenever the password is reset or the account is
/// disabled, so signed-in sessions issued before that stop working at their next request.
/// </summary>
public sealed record AgentAccount(
    string Login,
    string DisplayName,
    AgentRole Role,
    ImmutableArray<string> Queues,
    int MaxChats,
    bool Disabled,
    string SecurityStamp,
    DateTimeOffset CreatedUtc)
{
    public const string AllQueues = "*";

    public const int DefaultMaxChats = 3;

    public bool IsSupervisor => Role is AgentRole.Supervisor or AgentRole.Admin;

    /// <summary>Whether the account may see and take conversations of <paramref name="queue"/>.</summary>
    public bool Serves(string queue) => IsSupervisor || TakesChatsFrom(queue);

    /// <summary>Whether chats of <paramref name="queue"/> are assigned to this account (supervisors only for the queues they list).</summary>
    public bool TakesChatsFrom(string queue) => Queues.Contains(AllQueues) || Queues.Contains(queue, StringComparer.Ordinal);
}

/// <summary>The stored form: the account plus its password hash and lockout counters (never leaves the hub).</summary>
public sealed record AgentCredentials(AgentAccount Account, string PasswordHash, int FailedLogins, DateTimeOffset? LockedUntilUtc);

public enum SignInResult
{
    Success,
    InvalidCredentials,
    LockedOut,
    Disabled,
}

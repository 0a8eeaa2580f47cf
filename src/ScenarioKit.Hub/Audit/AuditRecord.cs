namespace ScenarioKit.Hub.Audit;

/// <summary>
/// One agent or supervisor action: who, when, what, on which conversation. Append-only; admins read it in the
/// console and with <c>scenariokit agents audit</c>.
/// </summary>
public sealed record AuditRecord(long Id, DateTimeOffset AtUtc, string Actor, string Action, string? ConversationKey, string? EntryId, string? Detail);

/// <summary>The audited actions (stable strings: they are stored and filtered on).</summary>
public static class AuditActions
{
    public const string Login = "login";
    public const string LoginFailed = "login.failed";
    public const string Logout = "logout";
    public const string Status = "status";
    public const string Accept = "accept";
    public const string Message = "message";
    public const string Note = "note";
    public const string Whisper = "whisper";
    public const string Transfer = "transfer";
    public const string ReturnToBot = "return";
    public const string Resolve = "resolve";
    public const string TakeOver = "takeover";
    public const string Monitor = "monitor";
    public const string Join = "join";
    public const string TicketClose = "ticket.close";
    public const string AccountAdd = "account.add";
    public const string AccountDisable = "account.disable";
    public const string AccountEnable = "account.enable";
    public const string AccountPassword = "account.password";
    public const string Requeue = "requeue";

    /// <summary>An insight report showed customer text unmasked (<c>scenariokit report --no-mask</c>, <c>/insight?mask=off</c>).</summary>
    public const string ReportUnmasked = "report.unmasked";
}

using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScenarioKit.Engine.Tests.Support;
using ScenarioKit.Model;
using static ScenarioKit.Engine.Tests.Support.B;

namespace ScenarioKit.Engine.Tests.Runtime;

/// <summary>Issue 11: asks filled from any message of their flow, corrections, cancel, declared types enforced.</summary>
public sealed class SlotFillingTests
{
    const string AskDate = "ご希望の日付を教えてください。";
    const string AskSlot = "午前と午後、どちらがよろしいですか？";
    const string AskName = "お名前を教えてください。";
    const string AskPhone = "お電話番号を教えてください。";

    static readonly Choice[] Slots = [new("午前", ["午前中", "朝", "morning", "am"]), new("午後", ["afternoon", "pm"])];

    static AskStep NameAsk(FillMode fill = FillMode.Auto) =>
        Ask("book/3", "booking.name", AskName) with { Extract = @"(?:^|[にはの、\s])(?<value>[^\s、。にはの]+?)(?:さん|様)?で(?:予約|お願い)", Fill = fill };

    /// <summary>The dental clinic of issue 11: date, slot (a choice, not a time), name, phone, then a summary.</summary>
    static ScenarioModel Clinic(CancelDef? cancel = null, FillMode slotFill = FillMode.Auto) => Scenario("ja-JP") with
    {
        Fallback = M("よく分かりませんでした。"),
        Variables = [Var("booking.date"), Var("booking.slot"), Var("booking.name"), Var("booking.phone")],
        Intents =
        [
            Intent("book", patterns: ["予約"]),
            Intent("hours", patterns: ["診療時間"], interrupts: true),
        ],
        Flows =
        [
            Flow("book", "book",
                Ask("book/0", "booking.date", AskDate, Expect(ExpectKind.Date)),
                Say("book/1", "${booking.date} ですね。"),
                Ask("book/2", "booking.slot", AskSlot, Expect(ExpectKind.Choice, choices: Slots)) with { Fill = slotFill },
                NameAsk(),
                Ask("book/4", "booking.phone", AskPhone, Expect(ExpectKind.Phone)),
                Say("book/5", "${booking.date} ${booking.slot}、${booking.name} 様（${booking.phone}）で承りました。")),
            Flow("hours", "hours", Say("hours/0", "診療時間は9時〜18時です。")),
        ],
        Cancel = cancel,
    };

    static string? Value(ConversationState state, string name) => state.Variables.GetValueOrDefault(name)?.ToString();

    [Fact]
    public void One_message_fills_the_date_the_slot_and_the_name()
    {
        var chat = new Chat(Load(Clinic()));
        Assert.Equal(["2026-12-08 ですね。", AskPhone], chat.Reply("12月8日の午前に山田花子で予約したい"));
        Assert.Equal("2026-12-08", Value(chat.State, "booking.date"));
        Assert.Equal("午前", Value(chat.State, "booking.slot"));
        Assert.Equal("山田花子", Value(chat.State, "booking.name"));
        var filled = chat.Last!.Trace.Filled;
        Assert.Equal(["booking.date", "booking.slot", "booking.name"], filled.Select(f => f.Variable));
        Assert.All(filled, f => Assert.Equal((1, SlotSource.Filled), (f.Turn, f.Source)));
        Assert.Equal(["12月8日", "午前", "山田花子"], filled.Select(f => f.Text));

        Assert.Equal(["2026-12-08 午前、山田花子 様（09012345678）で承りました。"], chat.Reply("090-1234-5678 です"));
        Assert.Equal(SlotSource.Answer, chat.Last!.Trace.Filled.Single().Source);
        Assert.Null(chat.State.ActiveFlow);
    }

    [Fact]
    public void A_value_given_early_waits_in_the_state_until_its_ask_is_reached()
    {
        var chat = new Chat(Load(Clinic()));
        Assert.Equal([AskDate], chat.Reply("予約をお願いします"));
        // The answer to the date also carries the phone number, which is asked two steps later.
        Assert.Equal(["2026-12-08 ですね。", AskSlot], chat.Reply("12月8日で。電話は090-1234-5678です"));
        chat.State = ConversationState.Deserialize(chat.State.Serialize()); // the pending value survives storage
        Assert.Equal([AskName], chat.Reply("午後"));
        Assert.Equal(["2026-12-08 午後、佐藤 様（09012345678）で承りました。"], chat.Reply("佐藤"));
        var phone = chat.Last!.Trace.Filled.Single(f => f.Variable == "booking.phone");
        Assert.Equal((2, "090-1234-5678", SlotSource.Filled), (phone.Turn, phone.Text, phone.Source));
    }

    [Fact]
    public void An_answer_inside_a_sentence_is_found()
    {
        var chat = new Chat(Load(Clinic()));
        chat.User("予約したい");
        Assert.Equal(["2026-12-05 ですね。", AskSlot], chat.Reply("12月5日がいいです"));
        Assert.Equal([AskName], chat.Reply("できれば朝がいいです"));
        Assert.Equal("午前", Value(chat.State, "booking.slot"));
    }

    [Fact]
    public void Fill_off_asks_even_when_the_message_carried_the_value()
    {
        var chat = new Chat(Load(Clinic(slotFill: FillMode.Off)));
        Assert.Equal(["2026-12-08 ですね。", AskSlot], chat.Reply("12月8日の午前に予約したい"));
        Assert.False(chat.State.Variables.ContainsKey("booking.slot"));
    }

    [Fact]
    public void Two_different_choices_are_ambiguous_and_left_to_the_prompt()
    {
        var chat = new Chat(Load(Clinic()));
        Assert.Equal(["2026-12-08 ですね。", AskSlot], chat.Reply("12月8日の午前か午後で予約したい"));
    }

    [Fact]
    public void Several_values_of_one_kind_fill_asks_of_that_kind_in_order()
    {
        var model = Scenario() with
        {
            Variables = [Var("stay.from"), Var("stay.to"), Var("stay.guests", VariableType.Integer)],
            Intents = [Intent("stay", patterns: ["room"])],
            Flows =
            [
                Flow("stay", "stay",
                    Ask("stay/0", "stay.from", "Arrival?", Expect(ExpectKind.Date)),
                    Ask("stay/1", "stay.to", "Departure?", Expect(ExpectKind.Date)),
                    Ask("stay/2", "stay.guests", "Guests?", Expect(ExpectKind.Integer, min: 1, max: 6)),
                    Say("stay/3", "${stay.from} to ${stay.to} for ${stay.guests}.")),
            ],
        };
        var chat = new Chat(Load(model));
        // 12/8 and 12/10 are dates, so the numbers in them are not the guest count; 2 is.
        Assert.Equal(["2026-12-08 to 2026-12-10 for 2."], chat.Reply("A room from 12/8 to 12/10 for 2 people"));
    }

    [Fact]
    public void A_correction_updates_the_answer_and_runs_again_from_the_step_after_it()
    {
        var chat = new Chat(Load(Clinic()));
        chat.User("予約したい");
        chat.User("12月8日");
        Assert.Equal([AskName], chat.Reply("午後"));
        // The slot answered since is kept; the say after the date runs again with the new value.
        Assert.Equal(["2026-12-09 ですね。", AskName], chat.Reply("やっぱり12月9日で"));
        Assert.Equal("2026-12-09", Value(chat.State, "booking.date"));
        Assert.Equal("午後", Value(chat.State, "booking.slot"));
        var correction = chat.Last!.Trace.Filled.Single();
        Assert.Equal(("booking.date", SlotSource.Correction, "12月9日"), (correction.Variable, correction.Source, correction.Text));
        Assert.Equal("book/3", chat.State.WaitingStep);
    }

    [Fact]
    public void A_correction_in_English_changes_the_date()
    {
        var chat = new Chat(Load(Clinic()));
        chat.User("予約したい");
        chat.User("12/8");
        Assert.Equal(["2026-12-09 ですね。", AskSlot], chat.Reply("actually 12/9"));
    }

    [Fact]
    public void A_correction_word_without_a_value_of_an_answered_ask_is_normal_input()
    {
        var chat = new Chat(Load(Clinic()));
        chat.User("予約したい");
        chat.User("12月8日");
        // "午後" is no date: the message simply answers the waiting slot ask.
        Assert.Equal([AskName], chat.Reply("やっぱり午後で"));
        Assert.Equal("午後", Value(chat.State, "booking.slot"));
        Assert.Equal("2026-12-08", Value(chat.State, "booking.date"));
    }

    [Theory]
    [InlineData("やめます")]
    [InlineData("やっぱりいいです")]
    [InlineData("キャンセルしたい")]
    [InlineData("もういいです。")]
    [InlineData("中止")]
    public void A_cancel_word_ends_the_form_says_so_once_and_does_not_ask_again(string text)
    {
        var chat = new Chat(Load(Clinic()));
        chat.User("予約したい");
        Assert.Equal(["かしこまりました。お手続きを中止しました。"], chat.Reply(text));
        Assert.True(chat.Last!.Trace.Cancelled);
        Assert.Null(chat.State.ActiveFlow);
        Assert.Equal(0, chat.State.FallbackStreak);
        Assert.Equal(["よく分かりませんでした。"], chat.Reply("うーん"));
    }

    [Theory]
    [InlineData("cancel")]
    [InlineData("Never mind")]
    [InlineData("forget it!")]
    [InlineData("I'd like to cancel please")]
    public void English_cancel_words_end_the_form(string text)
    {
        var model = Scenario() with
        {
            Variables = [Var("order.number")],
            Intents = [Intent("order", patterns: ["order"])],
            Flows = [Flow("order", "order", Ask("order/0", "order.number", "Your order number?", Expect(ExpectKind.Pattern, @"\d{8}")))],
        };
        var chat = new Chat(Load(model));
        chat.User("where is my order");
        Assert.Equal(["OK, I've cancelled that."], chat.Reply(text));
    }

    [Fact]
    public void A_message_that_only_mentions_cancelling_is_not_a_cancel()
    {
        var chat = new Chat(Load(Clinic()));
        chat.User("予約したい");
        Assert.Equal(["2026-12-08 ですね。", AskSlot], chat.Reply("12月8日、キャンセル待ちでもいいです"));
        Assert.False(chat.Last!.Trace.Cancelled);
    }

    [Fact]
    public void An_answer_the_ask_accepts_wins_over_the_cancel_words()
    {
        var model = Scenario("ja-JP") with
        {
            Variables = [Var("inquiry.kind")],
            Intents = [Intent("inquiry", patterns: ["問い合わせ"])],
            Flows =
            [
                Flow("inquiry", "inquiry",
                    Ask("inquiry/0", "inquiry.kind", "ご用件をお選びください。", Expect(ExpectKind.Choice, choices: [new("キャンセル", []), new("変更", [])])),
                    Say("inquiry/1", "${inquiry.kind}ですね。")),
            ],
        };
        var chat = new Chat(Load(model));
        chat.User("問い合わせです");
        Assert.Equal(["キャンセルですね。"], chat.Reply("キャンセル"));
    }

    [Fact]
    public void The_scenario_replaces_the_words_and_the_message_or_turns_cancelling_off()
    {
        var own = new CancelDef(BuiltIn: false, ["^ストップ$"], null, M("予約を取りやめました。"), Span());
        var chat = new Chat(Load(Clinic(own)));
        chat.User("予約したい");
        Assert.Equal([AskDate], chat.Reply("やめます"));
        Assert.False(chat.Last!.Trace.Cancelled);
        Assert.Equal(["予約を取りやめました。"], chat.Reply("ストップ"));

        var off = new Chat(Load(Clinic(new CancelDef(false, [], null, null, Span()) { Disabled = true })));
        off.User("予約したい");
        off.User("やめます");
        Assert.False(off.Last!.Trace.Cancelled);
        Assert.Equal("book", off.State.ActiveFlow);
    }

    [Fact]
    public void A_cancel_intent_of_the_scenario_cancels()
    {
        var model = Clinic(new CancelDef(true, [], "stop_form", null, Span())) with { };
        model = model with { Intents = model.Intents.Add(Intent("stop_form", patterns: ["手続き.*(終わり|おわり)"])) };
        var chat = new Chat(Load(model));
        chat.User("予約したい");
        Assert.Equal(["かしこまりました。お手続きを中止しました。"], chat.Reply("手続きはもう終わりにして"));
    }

    [Fact]
    public void Digressions_still_interrupt_and_the_ask_asks_again()
    {
        var chat = new Chat(Load(Clinic()));
        chat.User("予約したい");
        Assert.Equal(["診療時間は9時〜18時です。", AskDate], chat.Reply("診療時間は？"));
    }

    [Fact]
    public void A_flow_started_again_forgets_what_its_last_run_took()
    {
        var chat = new Chat(Load(Clinic()));
        chat.User("12月8日の午前に山田花子で予約したい");
        chat.User("090-1234-5678");
        Assert.Empty(chat.State.Slots);
        Assert.Equal([AskDate], chat.Reply("もう一件予約したい"));
    }

    // ---- declared types ----

    static ScenarioModel Typed(params Step[] steps) => Scenario() with
    {
        Variables = [Var("order.total", VariableType.Number), Var("order.flag", VariableType.Boolean), Var("order.note")],
        Intents = [Intent("go", patterns: ["go"])],
        Actions = [Script("total", [], "return 'lots';")],
        Flows = [Flow("go", "go", steps)],
    };

    [Fact]
    public void An_action_result_of_the_wrong_type_is_an_error_and_takes_the_onError_path()
    {
        var chat = new Chat(Load(Typed(
            Call("go/0", "total", "order.total", [], Say("go/0/onError/0", "Sorry, no total.")),
            Say("go/1", "Total ${order.total}."))), EngineActions());
        Assert.Equal(["Sorry, no total."], chat.Reply("go"));
        Assert.False(chat.State.Variables.ContainsKey("order.total"));
        var error = Assert.Single(chat.Last!.Trace.Errors);
        Assert.Contains("order.total", error.Message, StringComparison.Ordinal);
        Assert.True(error.Span.Line > 0);
    }

    [Fact]
    public void A_set_of_the_wrong_type_is_an_error_and_stores_nothing()
    {
        var chat = new Chat(Load(Typed(
            SetLiteral("go/0", "order.note", "fine"),
            Set("go/1", "order.flag", "${order.note}"),
            Say("go/2", "unreachable"))));
        chat.User("go");
        Assert.False(chat.State.Variables.ContainsKey("order.flag"));
        Assert.Contains(chat.Last!.Trace.Errors, e => e.Message.Contains("order.flag", StringComparison.Ordinal));
        Assert.DoesNotContain("unreachable", Chat.Texts(chat.Last!));
    }

    static IActionInvoker EngineActions() => new DefaultActionInvoker(new HttpClient(), TimeProvider.System);
}

using CsCheck;
using ScenarioKit.Engine.Extraction;
using ScenarioKit.Engine.Text;

namespace ScenarioKit.Engine.Tests.Extraction;

public sealed class DateTimeTextTests
{
    static readonly DateOnly Today = new(2026, 12, 3);

    public static TheoryData<string, string> DatePhrasings() => Table("DatePhrasings.tsv");

    public static TheoryData<string, string> TimePhrasings() => Table("TimePhrasings.tsv");

    [Fact]
    public void The_tables_hold_at_least_150_phrasings()
    {
        Assert.True(DatePhrasings().Count + TimePhrasings().Count >= 150);
        Assert.True(DatePhrasings().Count(row => row.Data.Item2.Length == 0) >= 25, "negative cases");
    }

    [Theory]
    [MemberData(nameof(DatePhrasings))]
    public void Finds_the_dates_a_customer_wrote(string text, string expected) =>
        Assert.Equal(expected, string.Join(',', DateTimeText.FindDates(TextNormalizer.Normalize(text), Today).Select(f => f.Value.ToString("yyyy-MM-dd", null))));

    [Theory]
    [MemberData(nameof(TimePhrasings))]
    public void Finds_the_times_a_customer_wrote(string text, string expected) =>
        Assert.Equal(expected, string.Join(',', DateTimeText.FindTimes(TextNormalizer.Normalize(text)).Select(f => f.Value.ToString("HH:mm", null))));

    [Theory]
    [InlineData("2026-12-20", "1月10日", "2027-01-10")]
    [InlineData("2026-12-20", "12月25日", "2026-12-25")]
    [InlineData("2026-12-20", "12/19", "2027-12-19")]
    [InlineData("2026-12-20", "5日", "2027-01-05")]
    [InlineData("2026-12-20", "来月5日", "2027-01-05")]
    [InlineData("2026-12-20", "来週の月曜", "2026-12-21")]
    [InlineData("2026-12-20", "今週の月曜", "2026-12-14")]
    [InlineData("2026-12-31", "明日", "2027-01-01")]
    [InlineData("2026-12-31", "1日", "2027-01-01")]
    [InlineData("2026-12-31", "12月31日", "2026-12-31")]
    [InlineData("2026-12-31", "Jan 1", "2027-01-01")]
    [InlineData("2026-12-31", "in 2 days", "2027-01-02")]
    [InlineData("2027-01-01", "昨日", "2026-12-31")]
    [InlineData("2026-11-05", "31日", "2026-12-31")]
    [InlineData("2026-03-01", "2/29", "2028-02-29")]
    [InlineData("2027-12-27", "来年の1月5日", "2028-01-05")]
    public void A_date_without_a_year_is_the_next_one_not_in_the_past(string today, string text, string expected) =>
        Assert.Equal(expected, DateTimeText.SingleDate(TextNormalizer.Normalize(text), DateOnly.Parse(today, null))?.ToString("yyyy-MM-dd", null));

    [Fact]
    public void Reports_where_each_value_stands_in_the_text()
    {
        const string text = "予約は12月10日(木)の15時でお願いします";
        var date = Assert.Single(DateTimeText.FindDates(text, Today));
        Assert.Equal("12月10日(木)", text.Substring(date.Start, date.Length));
        var time = Assert.Single(DateTimeText.FindTimes(text));
        Assert.Equal("15時", text.Substring(time.Start, time.Length));
    }

    [Theory]
    [InlineData("明日、12月4日", "2026-12-04")]
    [InlineData("12月4日か5日", null)]
    [InlineData("特になし", null)]
    public void Single_date_is_null_for_none_or_several_different_dates(string text, string? expected) =>
        Assert.Equal(expected, DateTimeText.SingleDate(text, Today)?.ToString("yyyy-MM-dd", null));

    /// <summary>Pieces of date and time writing, so random text hits the rules' edges (overflowing days, stray weekdays, separators).</summary>
    static readonly string[] Pieces =
    [
        "12", "5", "31", "0", "99", "2026", "9999", "/", "-", ".", ":", " ", "月", "日", "年", "時", "分", "半", "(", ")", "土", "曜日", "金",
        "令和", "平成", "元", "R", "H", "明日", "来週の", "今度の", "火曜", "後", "前", "間", "午前", "午後", "夕方", "am", "pm", "the", "th",
        "Dec", "December", "next", "Monday", "in", "days", "weeks", "ago", "of", "noon", "くらい", "%", "a", "三", "十",
    ];

    [Fact]
    public void Random_text_never_throws_and_values_stand_in_order_inside_the_text()
    {
        Gen.Int[0, Pieces.Length - 1].Array[0, 16].Select(picks => string.Concat(picks.Select(i => Pieces[i]))).Sample(text =>
        {
            foreach (var today in (DateOnly[])[Today, new DateOnly(2026, 12, 31), new DateOnly(2028, 2, 29)])
            {
                var dates = DateTimeText.FindDates(text, today);
                AssertOrderedInside(text, dates.Select(f => (f.Start, f.Length)));
                Assert.Equal(dates, DateTimeText.FindDates(text, today));
            }
            AssertOrderedInside(text, DateTimeText.FindTimes(text).Select(f => (f.Start, f.Length)));
        }, iter: 3000);
    }

    static void AssertOrderedInside(string text, IEnumerable<(int Start, int Length)> found)
    {
        var end = 0;
        foreach (var (start, length) in found)
        {
            Assert.True(start >= end && length > 0 && start + length <= text.Length, $"'{text}': {start}+{length}");
            end = start + length;
        }
    }

    static TheoryData<string, string> Table(string file)
    {
        var data = new TheoryData<string, string>();
        foreach (var line in File.ReadLines(Path.Combine(AppContext.BaseDirectory, "Extraction", file)))
        {
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var tab = line.IndexOf('\t', StringComparison.Ordinal);
            Assert.True(tab > 0, $"{file}: no tab in '{line}'");
            data.Add(line[..tab], line[(tab + 1)..]);
        }
        return data;
    }
}

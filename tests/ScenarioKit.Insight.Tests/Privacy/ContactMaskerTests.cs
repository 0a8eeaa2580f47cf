using ScenarioKit.Insight.Privacy;

namespace ScenarioKit.Insight.Tests.Privacy;

public sealed class ContactMaskerTests
{
    [Theory]
    // Japanese phone numbers as customers type them.
    [InlineData("電話は090-1234-5678です", "電話は[phone]です")]
    [InlineData("03(1234)5678にお願いします", "[phone]にお願いします")]
    [InlineData("(03)1234-5678", "[phone]")]
    [InlineData("09012345678", "[phone]")]
    [InlineData("0120-123-456 まで", "[phone] まで")]
    [InlineData("携帯は０９０－１２３４－５６７８", "携帯は[phone]")]
    [InlineData("０９０ー１２３４ー５６７８に電話して", "[phone]に電話して")]
    [InlineData("03 1234 5678", "[phone]")]
    [InlineData("+81 90-1234-5678", "[phone]")]
    [InlineData("+81 (0)3-1234-5678", "[phone]")]
    [InlineData("＋８１　９０　１２３４　５６７８", "[phone]")]
    // International and North American forms.
    [InlineData("call +44 20 7946 0958 please", "call [phone] please")]
    [InlineData("call me at (555) 123-4567", "call me at [phone]")]
    [InlineData("555.123.4567 or 1-800-555-1234", "[phone] or [phone]")]
    // E-mail addresses, also full width.
    [InlineData("taro.yamada+shop@example.co.jp に送って", "[email] に送って")]
    [InlineData("ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", "[email]")]
    [InlineData("mail: Jane_Doe@mail.example.com.", "mail: [email].")]
    [InlineData("連絡先 hanako@example.jp / 080-9876-5432", "連絡先 [email] / [phone]")]
    // Side by side with an order number: only the phone goes.
    [InlineData("注文12345678、電話090 1234 5678", "注文12345678、電話[phone]")]
    [InlineData("order 12345678 phone 090 1234 5678", "order 12345678 phone [phone]")]
    [InlineData("12345678 090 1234 5678", "12345678 [phone]")]
    public void Masks_contacts(string text, string expected) => Assert.Equal(expected, ContactMasker.Mask(text));

    [Theory]
    [InlineData("ご注文番号は12345678です")]
    [InlineData("注文番号１２３４５６７８")]
    [InlineData("order ORD-0312345678 shipped")]
    [InlineData("2026-11-24に届きました")]
    [InlineData("2026/11/24 10:00-18:00")]
    [InlineData("合計 ¥12,345（税込）")]
    [InlineData("30000円以上で送料無料")]
    [InlineData("price $1,299.99, qty 3")]
    [InlineData("version 1.12.3")]
    [InlineData("メールアドレスを教えてください")]
    [InlineData("郵便番号 150-0001")]
    [InlineData("at sign @ alone and a@b")]
    [InlineData("")]
    public void Leaves_other_numbers_and_text_alone(string text) => Assert.Equal(text, ContactMasker.Mask(text));

    [Fact]
    public void Fold_keeps_the_length_so_matches_map_back()
    {
        const string text = "０９０ー１２３４ー５６７８　メール ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ";
        var folded = ContactMasker.Fold(text);
        Assert.Equal(text.Length, folded.Length);
        Assert.Equal("090-1234-5678 メール taro@example.jp", folded);
    }
}

"""Index terms for Chinese search: characters and pairs, Latin words as prefixes."""
from crm_workspace.knowledge.rules import document_terms, query_terms, tsquery_text


def test_document_terms_are_characters_pairs_and_words():
    assert document_terms("开发票, CRM系统v2") == ["开", "发", "票", "开发", "发票", "crm", "系", "统", "系统", "v2"]


def test_two_character_words_are_one_term():
    assert query_terms("发票") == ["发票"]
    assert query_terms("纳税人识别号") == ["纳税", "税人", "人识", "识别", "别号"]


def test_every_query_term_of_a_contained_word_is_a_document_term():
    text = "增值税专用发票需要提供开票信息和纳税人识别号"
    doc = set(document_terms(text))
    for word in ("发票", "纳税人识别号", "专用", "票", "开票信息"):
        assert set(query_terms(word)) <= doc, word


def test_latin_words_are_prefixes_and_punctuation_is_nothing():
    assert query_terms("Inv 发") == ["inv:*", "发"]
    assert tsquery_text("inv 发票") == "'inv':* & '发票'"
    assert tsquery_text("%_!") is None

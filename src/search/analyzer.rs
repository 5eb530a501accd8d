//! The analyzer as Tantivy sees it. Normalization and tokenization live in
//! `wenku_engine::analyzer`, shared with the static index and its
//! WebAssembly engine; this module only adapts the tokenizer to Tantivy.

use tantivy::tokenizer::{Token as TantivyToken, TokenStream, Tokenizer};

pub use wenku_engine::analyzer::*;

/// The name the tokenizer is registered under in the index.
pub const TOKENIZER: &str = "wenku_cjk";

#[derive(Clone, Default)]
pub struct CjkTokenizer {
    token: TantivyToken,
}

impl Tokenizer for CjkTokenizer {
    type TokenStream<'a> = CjkTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> CjkTokenStream<'a> {
        self.token.reset();
        CjkTokenStream { tokens: Tokens::new(text), token: &mut self.token }
    }
}

pub struct CjkTokenStream<'a> {
    tokens: Tokens<'a>,
    token: &'a mut TantivyToken,
}

impl TokenStream for CjkTokenStream<'_> {
    fn advance(&mut self) -> bool {
        let Some(next) = self.tokens.next_into(&mut self.token.text) else { return false };
        self.token.position = next.position;
        self.token.position_length = 1;
        self.token.offset_from = next.from;
        self.token.offset_to = next.to;
        true
    }

    fn token(&self) -> &TantivyToken {
        self.token
    }

    fn token_mut(&mut self) -> &mut TantivyToken {
        self.token
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tantivy_sees_the_engines_tokens() {
        let mut tokenizer = CjkTokenizer::default();
        let mut stream = tokenizer.token_stream("a网，疫情");
        let mut seen = Vec::new();
        while stream.advance() {
            seen.push((stream.token().position, stream.token().text.clone()));
        }
        let mut expected = Vec::new();
        for_each_token("a网，疫情", |term, position| expected.push((position, term.to_owned())));
        assert_eq!(seen, expected);
        assert_eq!(seen.len(), 7);
    }
}

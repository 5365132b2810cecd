package greet

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding/simplifiedchinese"
)

// Decode turns bytes received from the network into text. charset names
// the encoding the sender used: "utf-8" (also "utf8") or "gbk" (the Chinese
// encoding of older Windows systems), in any case. Bytes that are not valid
// in that encoding, or a charset it does not know, are an error.
func Decode(data []byte, charset string) (string, error) {
	switch strings.ToLower(charset) {
	case "utf-8", "utf8":
		text := string(data)
		// A bad byte shows up as U+FFFD, the replacement character.
		if strings.ContainsRune(text, utf8.RuneError) {
			return "", errors.New("decode: the bytes are not valid UTF-8")
		}
		return text, nil
	case "gbk":
		text, err := simplifiedchinese.GBK.NewDecoder().Bytes(data)
		if err != nil {
			return "", fmt.Errorf("decode GBK: %w", err)
		}
		// The decoder replaces bytes it cannot map with U+FFFD, a character
		// GBK itself cannot encode: finding one means the input was bad.
		if strings.ContainsRune(string(text), utf8.RuneError) {
			return "", errors.New("decode: the bytes are not valid GBK")
		}
		return string(text), nil
	}
	return "", fmt.Errorf("decode: unknown charset %q (want utf-8 or gbk)", charset)
}

package shop

import "fmt"

// The shop's replies, byte for byte. Each one is a single line that ends in
// "\n", except the menu: a MenuHeader line that says how many item lines
// follow, then one MenuItem line per item. The first word says what kind of
// reply it is (WELCOME, MENU, OK, NO, BALANCE, BYE, ERR), so a program can
// tell them apart without reading the rest.

// Commands is what a customer can say, as the greeting and the ERR reply
// list it.
const Commands = "menu, buy ITEM, balance, bye"

// Welcome greets a customer who has just come in with balance.
//
//	WELCOME 欢迎光临! You have 10.00 yuan. Say: menu, buy ITEM, balance, bye
func Welcome(balance Fen) string {
	return fmt.Sprintf("WELCOME 欢迎光临! You have %s yuan. Say: %s\n", balance, Commands)
}

// MenuHeader starts the menu: items lines follow it.
//
//	MENU 3
func MenuHeader(items int) string {
	return fmt.Sprintf("MENU %d\n", items)
}

// MenuItem is one line of the menu: the item, its price and how many are
// left.
//
//	西瓜 melon 2.00 yuan, 5 left
func MenuItem(it Item, left int) string {
	return fmt.Sprintf("%s %s %s yuan, %d left\n", it.Name, it.Alias, it.Price, left)
}

// Bought says that the customer bought one of it and now has balance.
//
//	OK bought 西瓜 for 2.00 yuan, balance 8.00 yuan
func Bought(it Item, balance Fen) string {
	return fmt.Sprintf("OK bought %s for %s yuan, balance %s yuan\n", it.Name, it.Price, balance)
}

// NoSuchItem says that the shop does not sell what the customer asked for.
// word is what they typed, quoted Go-style, so a stray control character
// shows as an escape.
//
//	NO we do not sell "红牛"; say menu to see what we have
func NoSuchItem(word string) string {
	return fmt.Sprintf("NO we do not sell %q; say menu to see what we have\n", word)
}

// SoldOut says that none of it are left.
//
//	NO 西瓜 is sold out
func SoldOut(it Item) string {
	return fmt.Sprintf("NO %s is sold out\n", it.Name)
}

// TooDear says that the customer, who has balance, cannot afford it.
//
//	NO 瓜子 costs 4.50 yuan, you have 1.00 yuan
func TooDear(it Item, balance Fen) string {
	return fmt.Sprintf("NO %s costs %s yuan, you have %s yuan\n", it.Name, it.Price, balance)
}

// BalanceIs tells the customer how much money they have left.
//
//	BALANCE 8.00 yuan
func BalanceIs(balance Fen) string {
	return fmt.Sprintf("BALANCE %s yuan\n", balance)
}

// Goodbye is the last thing the shop says before it closes the connection.
const Goodbye = "BYE 欢迎下次光临! Come again.\n"

// BuyWhat answers a buy with no item after it.
const BuyWhat = "ERR buy what? Say buy and an item, like buy 西瓜\n"

// UnknownCommand answers a line that is none of the commands; line is the
// whole line the customer sent, without its surrounding spaces, quoted.
//
//	ERR unknown command "dance". Say: menu, buy ITEM, balance, bye
func UnknownCommand(line string) string {
	return fmt.Sprintf("ERR unknown command %q. Say: %s\n", line, Commands)
}

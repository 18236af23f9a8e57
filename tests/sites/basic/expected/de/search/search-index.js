self.commonsgenSearchIndex = {"version":2,"lang":"de","pages":2,"shards":[["an","w-042a59a45b18"]]};
